import { useState } from "react";

/** A token or link the server gives out once: shown with a copy button and a warning. */
export function ShownOnce({ label, value, testId, onDismiss }: { label: string; value: string; testId: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="once-box" role="status">
      <strong>{label}</strong>
      <span className="small">Copy it now: it is shown only this once and cannot be read again.</span>
      <code className="once-value" data-testid={testId}>{value}</code>
      <span className="settings-form">
        <button
          type="button"
          className="button small"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="button small" onClick={onDismiss}>Done</button>
      </span>
    </div>
  );
}

export function formatTime(iso: string | null): string {
  if (!iso) return "never";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
