import { useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { useSignedIn } from "../auth/auth-context.ts";

/** The signed-in person's own account: password and sessions. */
export function AccountTab() {
  const { user, workspace, refresh } = useSignedIn();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const change = async () => {
    setMessage(null);
    try {
      await api.auth.changePassword.mutate({ currentPassword: current, newPassword: next });
      setCurrent("");
      setNext("");
      setMessage({ error: false, text: "Password changed; your other sessions were signed out." });
    } catch (e) {
      setMessage({ error: true, text: describeError(e, "change the password") });
    }
  };

  return (
    <>
      <section className="settings-section">
        <h2>Account</h2>
        <p>
          Signed in as <strong>{user.email}</strong>; you are {workspace.role === "viewer" ? "a" : "an"} <strong data-testid="account-role">{workspace.role}</strong> in {workspace.name}.
        </p>
        <div>
          <button type="button" className="button" data-testid="sign-out-everywhere" onClick={() => void api.auth.signOutEverywhere.mutate().finally(refresh)}>
            Sign out everywhere
          </button>
          <span className="muted small"> Ends every session of yours, in every browser, this one included.</span>
        </div>
      </section>
      <section className="settings-section">
        <h2>Change password</h2>
        <form className="settings-form" onSubmit={(e) => { e.preventDefault(); void change(); }}>
          <label className="field">
            <span className="field-label">Current password</span>
            <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
          </label>
          <label className="field">
            <span className="field-label">New password</span>
            <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
          </label>
          <button type="submit" className="button primary">Change password</button>
        </form>
        {message ? <p className={message.error ? "error-text" : "small"} role={message.error ? "alert" : "status"}>{message.text}</p> : null}
      </section>
    </>
  );
}
