import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { formatTime } from "./shown-once.tsx";

type Secret = Awaited<ReturnType<typeof api.secrets.list.query>>[number];

/**
 * Workspace secrets. Values go to the server and never come back: the list
 * shows names and times; saving a name that exists replaces its value.
 */
export function SecretsTab() {
  const [secrets, setSecrets] = useState<Secret[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"value" | "connection">("value");
  const [connectionType, setConnectionType] = useState("");
  const [value, setValue] = useState("");
  const valueRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  const load = useCallback(() => {
    api.secrets.list.query().then(setSecrets, (e: unknown) => setError(describeError(e, "load the secrets")));
  }, []);
  useEffect(load, [load]);

  const save = async () => {
    setError(null);
    setSaved(null);
    try {
      await api.secrets.set.mutate({ name: name.trim(), kind, connectionType: kind === "connection" ? connectionType.trim() || null : null, value });
      setSaved(`Saved “${name.trim()}”.`);
      setName("");
      setValue("");
      setConnectionType("");
    } catch (e) {
      setError(describeError(e, "save the secret"));
    }
    load();
  };

  const remove = async (secretName: string) => {
    setError(null);
    try {
      await api.secrets.delete.mutate({ name: secretName });
    } catch (e) {
      setError(describeError(e, "delete the secret"));
    }
    load();
  };

  return (
    <>
      <section className="settings-section">
        <h2>Add or replace a secret</h2>
        <form className="settings-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <label className="field">
            <span className="field-label">Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. warehouse_password" maxLength={64} required data-testid="secret-name" />
          </label>
          <label className="field">
            <span className="field-label">Kind</span>
            <select value={kind} onChange={(e) => setKind(e.target.value === "connection" ? "connection" : "value")} data-testid="secret-kind">
              <option value="value">value</option>
              <option value="connection">connection (JSON fields)</option>
            </select>
          </label>
          {kind === "connection" ? (
            <label className="field">
              <span className="field-label">Connects to</span>
              <input value={connectionType} onChange={(e) => setConnectionType(e.target.value)} placeholder="e.g. postgres" maxLength={100} data-testid="secret-connection-type" />
            </label>
          ) : null}
          <label className="field" style={{ flexBasis: "100%" }}>
            <span className="field-label">{kind === "connection" ? "Fields (a JSON object)" : "Value"}</span>
            {kind === "connection" ? (
              <textarea ref={valueRef} value={value} onChange={(e) => setValue(e.target.value)} placeholder={'{"host": "db.example.com", "user": "etl", "password": "…"}'} required data-testid="secret-value" />
            ) : (
              <input ref={valueRef} type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required data-testid="secret-value" />
            )}
          </label>
          <button type="submit" className="button primary" data-testid="secret-save">Save secret</button>
        </form>
        <p className="muted small">
          Use a secret in a parameter value as <code>{"${{ name }}"}</code>, alone or inside text, or <code>{"${{ name.field }}"}</code> for one field of a connection; a <code>Connection("kind")</code> parameter may hold just the connection's name. Values are resolved only when a node runs on the server and are replaced by *** in its logs.
        </p>
        {saved ? <p className="small" role="status">{saved}</p> : null}
      </section>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      <section className="settings-section">
        <h2>Secrets</h2>
        {!secrets ? <p className="muted">Loading…</p> : secrets.length === 0 ? <p className="muted">No secrets yet.</p> : (
          <table className="settings-table" data-testid="secrets-table">
            <thead><tr><th>Name</th><th>Kind</th><th>Updated</th><th /></tr></thead>
            <tbody>
              {secrets.map((s) => (
                <tr key={s.name} data-testid="secret-row" data-name={s.name}>
                  <td><code>{s.name}</code></td>
                  <td>{s.kind === "connection" ? `connection${s.connectionType ? ` (${s.connectionType})` : ""}` : "value"}</td>
                  <td>{formatTime(s.updatedAt)}</td>
                  <td>
                    <button type="button" className="button small" onClick={() => { setName(s.name); setKind(s.kind); setConnectionType(s.connectionType ?? ""); setValue(""); valueRef.current?.focus(); }}>Replace value</button>{" "}
                    <button type="button" className="button small danger-quiet" onClick={() => void remove(s.name)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
