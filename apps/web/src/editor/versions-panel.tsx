import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { documentChanges } from "@patchbay/graph";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { applyChanges, flushChanges, setVersionsOpen, showNotice, useEditorStore, viewVersion } from "./editor-store.ts";

type VersionSummary = Awaited<ReturnType<typeof api.versions.list.query>>[number];

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Opens a saved version read-only on the canvas. */
async function openVersion(graphId: string, versionId: string): Promise<void> {
  try {
    const version = await api.versions.get.query({ graphId, versionId });
    viewVersion({ id: version.id, message: version.message, createdAt: version.createdAt, document: version.document });
  } catch (error) {
    showNotice(describeError(error, "open that version"));
  }
}

/**
 * Restores the version being viewed: the changes from the live document to the version's,
 * sent like any edit (the server validates them) and undoable as one step.
 */
export function restoreViewedVersion(): void {
  const state = useEditorStore.getState();
  const version = state.viewing;
  if (!version || !state.document) return;
  const changes = documentChanges(state.document, version.document);
  viewVersion(null);
  if (changes.length === 0) {
    showNotice(`The graph already matches “${version.message}”.`);
    return;
  }
  applyChanges(changes);
}

/** The version history: save the current graph under a name, list versions, open one read-only. */
export function VersionsPanel() {
  const open = useEditorStore((s) => s.versionsOpen);
  const graphId = useEditorStore((s) => s.graphId);
  if (!open || !graphId) return null;
  return <VersionsDrawer graphId={graphId} />;
}

function VersionsDrawer({ graphId }: { graphId: string }) {
  const viewing = useEditorStore((s) => s.viewing?.id ?? null);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    try {
      setVersions(await api.versions.list.query({ graphId }));
    } catch (e) {
      setError(describeError(e, "list the versions"));
    }
  }, [graphId]);

  useEffect(() => {
    void refresh();
    input.current?.focus();
  }, [refresh]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!message.trim()) {
      setError("Give the version a name, e.g. “before the new import”.");
      return;
    }
    setSaving(true);
    setError(null);
    try {
      // The server snapshots what it has saved, so send pending edits first.
      await flushChanges();
      await api.versions.create.mutate({ graphId, message });
      setMessage("");
      await refresh();
    } catch (e) {
      setError(describeError(e, "save the version"));
    } finally {
      setSaving(false);
    }
  };

  return (
    <aside className="versions-panel" aria-label="Version history" data-testid="versions-panel">
      <div className="versions-header">
        <h2 className="panel-heading">Versions</h2>
        <button type="button" className="icon-button" aria-label="Close version history" onClick={() => setVersionsOpen(false)}>
          ×
        </button>
      </div>
      <form className="version-form" onSubmit={save}>
        <input ref={input} data-testid="version-message" placeholder="Name this version…" value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} />
        <button type="submit" className="button primary small" data-testid="version-save" disabled={saving}>
          {saving ? "Saving…" : "Save version"}
        </button>
      </form>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      {versions === null ? (
        <p className="muted small">Loading…</p>
      ) : versions.length === 0 ? (
        <p className="muted small">No versions yet. A version is a named snapshot of the whole graph you can open and restore.</p>
      ) : (
        <ul className="version-list">
          {versions.map((version) => (
            <li key={version.id} className={`version-row${viewing === version.id ? " is-viewing" : ""}`} data-testid="version-row" data-message={version.message}>
              <div className="version-text">
                <span className="version-message">{version.message}</span>
                <span className="muted small">
                  {when(version.createdAt)} · {version.nodeCount} node{version.nodeCount === 1 ? "" : "s"}
                </span>
              </div>
              <button type="button" className="button small" data-testid="version-open" onClick={() => void openVersion(graphId, version.id)}>
                Open
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

/** Shown over the canvas while a version is open: it is read-only until restored. */
export function VersionBanner() {
  const viewing = useEditorStore((s) => s.viewing);
  if (!viewing) return null;
  return (
    <div className="version-banner" role="status" data-testid="version-banner">
      <span>
        Viewing version <strong>“{viewing.message}”</strong> of {when(viewing.createdAt)}, read-only.
      </span>
      <button type="button" className="button primary small" data-testid="version-restore" onClick={restoreViewedVersion}>
        Restore this version
      </button>
      <button type="button" className="button small" data-testid="version-close" onClick={() => viewVersion(null)}>
        Back to the current graph
      </button>
    </div>
  );
}
