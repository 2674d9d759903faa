import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { AuthForm, TextField } from "./auth-form.tsx";

type InviteInfo = Awaited<ReturnType<typeof api.auth.inviteInfo.query>>;

/** Opened from an invite link: a new member chooses a password, an existing one confirms theirs. */
export function InvitePage({ token, onAccepted }: { token: string; onAccepted: () => void }) {
  const [info, setInfo] = useState<InviteInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = "Invitation · Patchbay";
    api.auth.inviteInfo.query({ token }).then(setInfo, (e: unknown) => setLoadError(describeError(e, "open the invitation")));
  }, [token]);

  if (loadError) {
    return (
      <div className="auth-page">
        <div className="auth-card error-box" role="alert">
          <p>{loadError}</p>
          <a href="#/">Go to Patchbay</a>
        </div>
      </div>
    );
  }
  if (!info) return <p className="page-message muted">Opening the invitation…</p>;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.auth.acceptInvite.mutate({ token, password });
      onAccepted();
    } catch (e) {
      setError(describeError(e, "accept the invitation"));
      setBusy(false);
    }
  };

  return (
    <AuthForm
      title={`Join ${info.workspaceName}`}
      intro={<>You are invited as <strong>{info.role}</strong> with {info.email}. {info.accountExists ? "Enter your password to accept." : "Choose a password for your new account."}</>}
      submitLabel="Accept invitation"
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      testId="invite-page"
    >
      <TextField
        label={info.accountExists ? "Your password" : "Choose a password"}
        type="password"
        value={password}
        onChange={setPassword}
        testId="invite-password"
        autoComplete={info.accountExists ? "current-password" : "new-password"}
        hint={info.accountExists ? undefined : "At least 10 characters; a few words make a good one."}
        autoFocus
      />
    </AuthForm>
  );
}
