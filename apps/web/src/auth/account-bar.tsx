import { useState } from "react";
import { api } from "../api/client.ts";
import { settingsHref } from "../routing.ts";
import { useSignedIn } from "./auth-context.ts";
import { chooseWorkspace } from "./workspace-choice.ts";

/** The top bar's right side: workspace (and switcher), role, settings, and sign out. */
export function AccountBar() {
  const { user, workspace, workspaces, refresh } = useSignedIn();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try {
      await api.auth.signOut.mutate();
    } finally {
      refresh();
    }
  };
  return (
    <span className="account-bar" data-testid="account-bar">
      {workspaces.length > 1 ? (
        <select
          className="workspace-select"
          aria-label="Workspace"
          value={workspace.id}
          onChange={(e) => {
            chooseWorkspace(e.target.value);
            // Everything on screen belongs to the old workspace: start afresh.
            window.location.hash = "#/";
            window.location.reload();
          }}
        >
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>{w.name}</option>
          ))}
        </select>
      ) : (
        <span className="muted small">{workspace.name}</span>
      )}
      <span className="role-badge" data-testid="role-badge" title={`You are ${workspace.role === "owner" ? "the owner" : workspace.role === "editor" ? "an editor" : "a viewer"} here`}>
        {workspace.role}
      </span>
      <a className="button small" href={settingsHref(workspace.role === "owner" ? "members" : "account")} data-testid="settings-link">Settings</a>
      <span className="muted small" data-testid="user-email">{user.email}</span>
      <button type="button" className="button small" disabled={busy} onClick={() => void signOut()} data-testid="sign-out">Sign out</button>
    </span>
  );
}
