import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { AuthForm, TextField } from "./auth-form.tsx";

/** First start: the first account becomes the owner of the default workspace. */
export function SetupPage({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Create the owner account · Patchbay";
  }, []);

  const submit = async () => {
    if (password !== confirm) {
      setError("The two passwords differ; type the same password twice.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.auth.setup.mutate({ email, password });
      onDone();
    } catch (e) {
      setError(describeError(e, "create the owner account"));
      setBusy(false);
    }
  };

  return (
    <AuthForm
      title="Create the owner account"
      intro="This Patchbay has no accounts yet. The owner manages members, API tokens and secrets, and gets the example graph."
      submitLabel="Create account"
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      testId="setup-page"
    >
      <TextField label="Email" type="email" value={email} onChange={setEmail} testId="setup-email" autoComplete="username" autoFocus />
      <TextField label="Password" type="password" value={password} onChange={setPassword} testId="setup-password" autoComplete="new-password" hint="At least 10 characters; a few words make a good one." />
      <TextField label="Password again" type="password" value={confirm} onChange={setConfirm} testId="setup-password-confirm" autoComplete="new-password" />
    </AuthForm>
  );
}
