import { useCallback, useEffect, useState } from "react";
import { api, type Role } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { formatTime, ShownOnce } from "./shown-once.tsx";

type Token = Awaited<ReturnType<typeof api.tokens.list.query>>[number];
const ROLES: Role[] = ["viewer", "editor", "owner"];

/** API tokens for scripts and CI: `Authorization: Bearer <token>` on /trpc. */
export function TokensTab() {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [created, setCreated] = useState<string | null>(null);

  const load = useCallback(() => {
    api.tokens.list.query().then(setTokens, (e: unknown) => setError(describeError(e, "load the API tokens")));
  }, []);
  useEffect(load, [load]);

  const create = async () => {
    setError(null);
    try {
      const { token } = await api.tokens.create.mutate({ name, role });
      setCreated(token);
      setName("");
    } catch (e) {
      setError(describeError(e, "create the token"));
    }
    load();
  };

  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.tokens.revoke.mutate({ id });
    } catch (e) {
      setError(describeError(e, "revoke the token"));
    }
    load();
  };

  return (
    <>
      <section className="settings-section">
        <h2>Create an API token</h2>
        <form className="settings-form" onSubmit={(e) => { e.preventDefault(); void create(); }}>
          <label className="field">
            <span className="field-label">Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. CI nightly import" maxLength={100} required data-testid="token-name" />
          </label>
          <label className="field">
            <span className="field-label">Role</span>
            <select value={role} onChange={(e) => { const v = e.target.value; if (v === "viewer" || v === "editor" || v === "owner") setRole(v); }} data-testid="token-role">
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="button primary" data-testid="token-create">Create token</button>
        </form>
        <p className="muted small">Scripts send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/trpc</code>. It acts in this workspace with the role chosen here, never more than yours.</p>
        {created ? <ShownOnce label="New API token" value={created} testId="token-value" onDismiss={() => setCreated(null)} /> : null}
      </section>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      <section className="settings-section">
        <h2>Tokens</h2>
        {!tokens ? <p className="muted">Loading…</p> : tokens.length === 0 ? <p className="muted">No API tokens yet.</p> : (
          <table className="settings-table" data-testid="tokens-table">
            <thead><tr><th>Name</th><th>Role</th><th>Token</th><th>Made by</th><th>Created</th><th>Last used</th><th /></tr></thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-testid="token-row" data-name={t.name}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td><code>{t.prefix}…</code></td>
                  <td>{t.createdByEmail}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{formatTime(t.lastUsedAt)}</td>
                  <td><button type="button" className="button small danger-quiet" onClick={() => void revoke(t.id)} data-testid="token-revoke">Revoke</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
