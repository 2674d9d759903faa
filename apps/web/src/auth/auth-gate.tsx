import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api, onSignedOut, type AuthStatus } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { navigate, type Route } from "../routing.ts";
import { AuthContext, type SignedIn } from "./auth-context.ts";
import { InvitePage } from "./invite-page.tsx";
import { SetupPage } from "./setup-page.tsx";
import { SignInPage } from "./sign-in-page.tsx";
import { chooseWorkspace, chosenWorkspaceId } from "./workspace-choice.ts";
import "./auth.css";

type GateState = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; status: AuthStatus };

/**
 * Shows the app only to a signed-in member: the setup page on first start,
 * the sign-in page for visitors, and the sign-in page again as soon as any
 * call answers 401 (the session expired or was ended elsewhere).
 */
export function AuthGate({ route, children }: { route: Route; children: ReactNode }) {
  const [state, setState] = useState<GateState>({ kind: "loading" });
  const wasSignedIn = useRef(false);
  const [sessionEnded, setSessionEnded] = useState(false);

  const refresh = useCallback(() => {
    api.auth.status.query().then(
      (status) => {
        if (status.user) wasSignedIn.current = true;
        else if (wasSignedIn.current) setSessionEnded(true);
        setState({ kind: "ready", status });
      },
      (error: unknown) => setState({ kind: "error", message: describeError(error, "reach the server") }),
    );
  }, []);

  useEffect(() => {
    refresh();
    return onSignedOut(refresh);
  }, [refresh]);

  const status = state.kind === "ready" ? state.status : null;
  const signedIn = useMemo((): SignedIn | null => {
    if (!status?.user) return null;
    const chosen = chosenWorkspaceId();
    const workspace = status.workspaces.find((w) => w.id === chosen) ?? status.workspaces[0];
    if (!workspace) return null;
    return { user: status.user, workspaces: status.workspaces, workspace, refresh };
  }, [status, refresh]);

  // A remembered workspace the user no longer belongs to would make every call fail.
  useEffect(() => {
    if (status?.user && signedIn && chosenWorkspaceId() !== null && chosenWorkspaceId() !== signedIn.workspace.id) chooseWorkspace(null);
  }, [status, signedIn]);

  if (state.kind === "loading") return <p className="page-message muted">Loading…</p>;
  if (state.kind === "error") {
    return (
      <div className="auth-page">
        <div className="auth-card error-box" role="alert">
          <p>{state.message}</p>
          <button type="button" className="button" onClick={refresh}>Try again</button>
        </div>
      </div>
    );
  }
  const done = () => {
    setSessionEnded(false);
    refresh();
  };
  if (route.page === "invite") {
    return (
      <InvitePage
        token={route.token}
        onAccepted={() => {
          chooseWorkspace(null);
          navigate("#/");
          done();
        }}
      />
    );
  }
  if (state.status.setupNeeded) return <SetupPage onDone={done} />;
  if (!state.status.user) return <SignInPage onSignedIn={done} sessionEnded={sessionEnded} />;
  if (!signedIn) {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <h1>No workspace yet</h1>
          <p className="muted">You are signed in as {state.status.user.email} but not a member of any workspace. Ask a workspace owner for an invite link.</p>
          <button type="button" className="button" onClick={() => void api.auth.signOut.mutate().finally(refresh)}>Sign out</button>
        </div>
      </div>
    );
  }
  return <AuthContext.Provider value={signedIn}>{children}</AuthContext.Provider>;
}
