import { useEffect, useRef, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";

export interface CellRef {
  graphId: string;
  storeName: string;
  versionId: string | undefined;
  patternsId: string;
  column: string;
}

type CellState = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; value: string; length: number; complete: boolean };

/** The whole value of a cell the grid shows cut short, fetched when asked for. */
export function FullValueDialog({ cell, onClose }: { cell: CellRef; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<CellState>({ status: "loading" });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.stores.cell
      .query({ graphId: cell.graphId, storeName: cell.storeName, versionId: cell.versionId, patternsId: cell.patternsId, column: cell.column })
      .then((result) => !cancelled && setState({ status: "ready", value: result.value ?? "", length: result.length, complete: result.complete }))
      .catch((error: unknown) => !cancelled && setState({ status: "error", message: describeError(error, `read the whole "${cell.column}" value`) }));
    return () => {
      cancelled = true;
    };
  }, [cell]);

  return (
    <dialog
      ref={ref}
      className="dialog full-value-dialog"
      aria-label={`Value of ${cell.column}`}
      data-testid="full-value-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 className="dialog-title">
        {cell.column} <span className="muted small">row {cell.patternsId}</span>
      </h2>
      {state.status === "loading" ? <p className="muted">Loading the whole value…</p> : null}
      {state.status === "error" ? <p className="error-text" role="alert">{state.message}</p> : null}
      {state.status === "ready" ? (
        <>
          <p className="muted small" data-testid="full-value-length">
            {state.length.toLocaleString()} characters{state.complete ? "" : " (only the beginning is shown)"}
          </p>
          {/* A read-only textarea lays out megabytes of text far faster than a <pre>. */}
          <textarea className="full-value-text" data-testid="full-value-text" readOnly value={state.value} spellCheck={false} />
        </>
      ) : null}
      <div className="dialog-actions">
        {state.status === "ready" ? (
          <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(state.value)}>
            Copy
          </button>
        ) : null}
        <button type="button" className="button primary" data-testid="full-value-close" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
