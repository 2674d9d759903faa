import { useEffect, useRef, type FormEvent, type ReactNode } from "react";

interface DialogProps {
  title: string;
  children: ReactNode;
  submitLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onSubmit: () => void;
  onCancel: () => void;
}

/** A small modal form: Enter submits, Escape cancels. */
export function Dialog({ title, children, submitLabel, danger, busy, error, onSubmit, onCancel }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-label={title}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit}>
        <h2 className="dialog-title">{title}</h2>
        <div className="dialog-body">{children}</div>
        {error ? <p className="error-text" role="alert">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={`button ${danger ? "danger" : "primary"}`} disabled={busy} data-testid="dialog-submit">
            {busy ? "Working…" : submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
