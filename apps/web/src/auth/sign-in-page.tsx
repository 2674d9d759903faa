import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { AuthForm, TextField } from "./auth-form.tsx";

/** For visitors once the owner account exists. */
export function SignInPage({ onSignedIn, sessionEnded }: { onSignedIn: () => void; sessionEnded: boolean }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Sign in · Patchbay";
  }, []);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.auth.signIn.mutate({ email, password });
      onSignedIn();
    } catch (e) {
      setError(describeError(e, "sign in"));
      setBusy(false);
    }
  };

  return (
    <AuthForm
      title="Sign in"
      intro={sessionEnded ? "Your session has ended. Sign in again to go on." : undefined}
      submitLabel="Sign in"
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      testId="sign-in-page"
    >
      <TextField label="Email" type="email" value={email} onChange={setEmail} testId="sign-in-email" autoComplete="username" autoFocus />
      <TextField label="Password" type="password" value={password} onChange={setPassword} testId="sign-in-password" autoComplete="current-password" />
    </AuthForm>
  );
}
