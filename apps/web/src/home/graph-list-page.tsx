import { useCallback, useEffect, useState } from "react";
import { api, type GraphSummary } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { graphHref, navigate } from "../routing.ts";
import { Dialog } from "../ui/dialog.tsx";
import { AccountBar } from "../auth/account-bar.tsx";

type ListState = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; graphs: GraphSummary[] };
type DialogState = { kind: "create" } | { kind: "rename"; graph: GraphSummary } | { kind: "delete"; graph: GraphSummary } | null;

function formatUpdated(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function GraphDialog({ dialog, onDone, onCancel }: { dialog: NonNullable<DialogState>; onDone: (openId?: string) => void; onCancel: () => void }) {
  const [title, setTitle] = useState(dialog.kind === "rename" ? dialog.graph.title : "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const trimmed = title.trim();
    if (dialog.kind !== "delete" && !trimmed) {
      setError("Give the graph a title.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (dialog.kind === "create") {
        const { id } = await api.graphs.create.mutate({ title: trimmed });
        onDone(id);
      } else if (dialog.kind === "rename") {
        await api.graphs.rename.mutate({ id: dialog.graph.id, title: trimmed });
        onDone();
      } else {
        await api.graphs.delete.mutate({ id: dialog.graph.id });
        onDone();
      }
    } catch (e) {
      const action = dialog.kind === "create" ? "create the graph" : dialog.kind === "rename" ? "rename the graph" : "delete the graph";
      setError(describeError(e, action));
      setBusy(false);
    }
  };

  if (dialog.kind === "delete") {
    return (
      <Dialog title="Delete graph" submitLabel="Delete" danger busy={busy} error={error} onSubmit={() => void submit()} onCancel={onCancel}>
        <p>
          Delete “{dialog.graph.title}” with its {dialog.graph.nodeCount} nodes, runs and stored data? This cannot be undone.
        </p>
      </Dialog>
    );
  }
  return (
    <Dialog
      title={dialog.kind === "create" ? "New graph" : "Rename graph"}
      submitLabel={dialog.kind === "create" ? "Create" : "Rename"}
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      <label className="field">
        <span className="field-label">Title</span>
        <input data-testid="graph-title-input" autoFocus value={title} maxLength={200} placeholder="e.g. Daily orders" onChange={(e) => setTitle(e.target.value)} />
      </label>
    </Dialog>
  );
}

export function GraphListPage() {
  const [state, setState] = useState<ListState>({ status: "loading" });
  const [dialog, setDialog] = useState<DialogState>(null);

  const refresh = useCallback(() => {
    api.graphs.list
      .query()
      .then((graphs) => setState({ status: "ready", graphs }))
      .catch((error: unknown) => setState({ status: "error", message: describeError(error, "load your graphs") }));
  }, []);

  useEffect(() => {
    document.title = "Graphs · Patchbay";
    refresh();
  }, [refresh]);

  return (
    <div className="home-page">
      <header className="topbar">
        <a href="#/" className="brand">Patchbay</a>
        <span className="topbar-spacer" />
        <AccountBar />
      </header>
      <main className="home-main">
        <div className="home-heading">
          <h1>Graphs</h1>
          <button type="button" className="button primary" data-testid="new-graph" onClick={() => setDialog({ kind: "create" })}>
            New graph
          </button>
        </div>
        {state.status === "loading" ? <p className="muted">Loading graphs…</p> : null}
        {state.status === "error" ? (
          <div className="error-box" role="alert">
            <p>{state.message}</p>
            <button type="button" className="button" onClick={refresh}>Try again</button>
          </div>
        ) : null}
        {state.status === "ready" && state.graphs.length === 0 ? (
          <p className="muted">No graphs yet. Create one to start building a pipeline.</p>
        ) : null}
        {state.status === "ready" && state.graphs.length > 0 ? (
          <ul className="graph-list" data-testid="graph-list">
            {state.graphs.map((graph) => (
              <li key={graph.id} className="graph-row" data-testid="graph-row" data-title={graph.title}>
                <a className="graph-link" href={graphHref(graph.id)}>
                  <span className="graph-row-title">{graph.title}</span>
                  <span className="muted small">
                    {graph.nodeCount} {graph.nodeCount === 1 ? "node" : "nodes"} · updated {formatUpdated(graph.updatedAt)}
                  </span>
                </a>
                <span className="graph-row-actions">
                  <button type="button" className="button small" onClick={() => setDialog({ kind: "rename", graph })}>Rename</button>
                  <button type="button" className="button small danger-quiet" onClick={() => setDialog({ kind: "delete", graph })}>Delete</button>
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </main>
      {dialog ? (
        <GraphDialog
          key={dialog.kind}
          dialog={dialog}
          onCancel={() => setDialog(null)}
          onDone={(openId) => {
            setDialog(null);
            if (openId) navigate(graphHref(openId));
            else refresh();
          }}
        />
      ) : null}
    </div>
  );
}
