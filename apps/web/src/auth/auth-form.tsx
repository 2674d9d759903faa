import type { FormEvent, ReactNode } from "react";

/** The centred card of the sign-in, setup and invite pages. */
export function AuthForm({ title, intro, submitLabel, busy, error, onSubmit, children, testId }: {
  title: string;
  intro?: ReactNode;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  onSubmit: () => void;
  children: ReactNode;
  testId: string;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid={testId}>
        <div className="brand auth-brand">Patchbay</div>
        <h1>{title}</h1>
        {intro ? <div className="muted auth-intro">{intro}</div> : null}
        {children}
        {error ? <p className="error-text" role="alert" data-testid="auth-error">{error}</p> : null}
        <button type="submit" className="button primary auth-submit" disabled={busy} data-testid="auth-submit">
          {busy ? "Working…" : submitLabel}
        </button>
      </form>
    </div>
  );
}

export function TextField({ label, type = "text", value, onChange, testId, autoComplete, hint, autoFocus }: {
  label: string;
  type?: "text" | "email" | "password";
  value: string;
  onChange: (value: string) => void;
  testId: string;
  autoComplete?: string;
  hint?: string;
  autoFocus?: boolean;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type={type} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} autoComplete={autoComplete} autoFocus={autoFocus} required />
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}
