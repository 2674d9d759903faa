import { useCallback, useEffect, useState } from "react";
import { api, type Role } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { useSignedIn } from "../auth/auth-context.ts";
import { formatTime, ShownOnce } from "./shown-once.tsx";

type Members = Awaited<ReturnType<typeof api.members.list.query>>;
const ROLES: Role[] = ["viewer", "editor", "owner"];

function isRole(value: string): value is Role {
  return value === "viewer" || value === "editor" || value === "owner";
}

/**
 * Members and invitations. Patchbay sends no email: inviting shows a link
 * once, which the owner passes on; the invitee chooses a password there.
 */
export function MembersTab() {
  const { user } = useSignedIn();
  const [members, setMembers] = useState<Members | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [link, setLink] = useState<string | null>(null);

  const load = useCallback(() => {
    api.members.list.query().then(setMembers, (e: unknown) => setError(describeError(e, "load the members")));
  }, []);
  useEffect(load, [load]);

  const act = async (what: string, call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(describeError(e, what));
    }
    load();
  };

  return (
    <>
      <section className="settings-section">
        <h2>Invite a member</h2>
        <form
          className="settings-form"
          onSubmit={(event) => {
            event.preventDefault();
            void act("invite the member", async () => {
              const { path } = await api.members.invite.mutate({ email, role });
              setLink(`${window.location.origin}${path}`);
              setEmail("");
            });
          }}
        >
          <label className="field">
            <span className="field-label">Email</span>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required data-testid="invite-email" />
          </label>
          <label className="field">
            <span className="field-label">Role</span>
            <select value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)} data-testid="invite-role">
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="button primary" data-testid="invite-submit">Create invite link</button>
        </form>
        <p className="muted small">Viewers read graphs, data and runs; editors also edit and run graphs; owners also manage members, API tokens and secrets. The link works once, for 7 days.</p>
        {link ? <ShownOnce label="Invite link" value={link} testId="invite-link" onDismiss={() => setLink(null)} /> : null}
      </section>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      <section className="settings-section">
        <h2>Members</h2>
        {!members ? <p className="muted">Loading…</p> : (
          <table className="settings-table" data-testid="members-table">
            <thead><tr><th>Email</th><th>Role</th><th /></tr></thead>
            <tbody>
              {members.members.map((m) => (
                <tr key={m.userId} data-testid="member-row" data-email={m.email}>
                  <td>{m.email}{m.userId === user.id ? <span className="muted small"> (you)</span> : null}</td>
                  <td>
                    <select value={m.role} onChange={(e) => isRole(e.target.value) && void act("change the role", () => api.members.setRole.mutate({ userId: m.userId, role: isRole(e.target.value) ? e.target.value : m.role }))}>
                      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  </td>
                  <td>
                    <button type="button" className="button small danger-quiet" onClick={() => void act("remove the member", () => api.members.remove.mutate({ userId: m.userId }))}>Remove</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {members && members.invites.length > 0 ? (
          <>
            <h2>Open invitations</h2>
            <table className="settings-table">
              <thead><tr><th>Email</th><th>Role</th><th>Expires</th><th /></tr></thead>
              <tbody>
                {members.invites.map((invite) => (
                  <tr key={invite.id}>
                    <td>{invite.email}</td>
                    <td>{invite.role}</td>
                    <td>{formatTime(invite.expiresAt)}</td>
                    <td><button type="button" className="button small danger-quiet" onClick={() => void act("revoke the invitation", () => api.members.revokeInvite.mutate({ id: invite.id }))}>Revoke</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
    </>
  );
}
