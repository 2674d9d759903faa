import { lazy, Suspense, useEffect, useState } from "react";
import { isFunctionKind, isStoreKind, resolveAllPorts, type GraphNode } from "@patchbay/graph";
import { deleteElements, editCode, renameNode, runNode, selectedNode, selectNode, useEditorStore } from "./editor-store.ts";
import { RunStatusBadge } from "./run-status-badge.tsx";
import { useRunProgress } from "./run-actions.ts";
import { ParameterForm } from "./parameter-form.tsx";
import { RuntimeToggle } from "../runtime/runtime-toggle.tsx";
import { retryingImport } from "../ui/retrying-import.ts";

const loadCodeEditor = () => retryingImport(() => import("./code-editor.tsx"));
const CodeEditor = lazy(() => loadCodeEditor().then((m) => ({ default: m.CodeEditor })));

function TitleField({ node, readOnly }: { node: GraphNode; readOnly: boolean }) {
  const [draft, setDraft] = useState(node.title);
  useEffect(() => setDraft(node.title), [node.id, node.title]);
  const commit = () => {
    if (!renameNode(node.id, draft)) setDraft(node.title);
  };
  const label = isStoreKind(node.kind) ? "Store name" : "Title";
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        data-testid="node-title-input"
        value={draft}
        maxLength={200}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setDraft(node.title);
        }}
      />
    </label>
  );
}

function StoreConnections({ node }: { node: GraphNode }) {
  const doc = useEditorStore((s) => s.document);
  if (!doc) return null;
  const ports = resolveAllPorts(doc).filter((p) => p.storeId === node.id);
  const titleOf = (id: string) => doc.nodes.find((n) => n.id === id)?.title ?? id;
  const writers = ports.filter((p) => p.direction === "output").map((p) => titleOf(p.nodeId));
  const readers = ports.filter((p) => p.direction === "input").map((p) => titleOf(p.nodeId));
  return (
    <dl className="facts">
      <dt>Written by</dt>
      <dd>{writers.length ? writers.join(", ") : "no node yet"}</dd>
      <dt>Read by</dt>
      <dd>{readers.length ? readers.join(", ") : "no node yet"}</dd>
    </dl>
  );
}

function RunControls({ node }: { node: GraphNode }) {
  const run = useEditorStore((s) => s.latestRuns[node.id]);
  const { active, starting } = useRunProgress(node.id);
  const runError = useEditorStore((s) => s.runErrors[node.id]);
  const busy = starting || active;
  return (
    <div className="run-controls">
      <button type="button" className="button primary" data-testid="panel-run" disabled={busy} onClick={() => void runNode(node.id)}>
        {busy ? "Running…" : "▶ Run"}
      </button>
      {starting && !active ? <RunStatusBadge status="starting" /> : run ? <RunStatusBadge status={run.status} /> : <span className="muted small">Not run yet</span>}
      {runError ? (
        <p className="error-text" role="alert">
          {runError}
        </p>
      ) : null}
    </div>
  );
}

export function SidePanel() {
  // Fetch the editor as soon as the graph opens: selecting a node later must not depend on
  // the server still being reachable (a failed chunk load would take the whole page down).
  useEffect(() => {
    // Once the canvas has drawn: parsing the editor must not delay the graph's first render.
    const timer = setTimeout(() => void loadCodeEditor(), 2000);
    return () => clearTimeout(timer);
  }, []);
  const node = useEditorStore(selectedNode);
  const viewingId = useEditorStore((s) => s.viewing?.id ?? null);
  const readOnly = viewingId !== null;
  const selectedCount = useEditorStore((s) => s.flowNodes.reduce((n, flowNode) => n + (flowNode.selected ? 1 : 0), 0));
  if (!node) {
    return (
      <aside className="side-panel side-panel-empty" data-testid="side-panel" aria-label="Selected node">
        <h2 className="panel-heading">Nothing selected</h2>
        <p>Select a node to edit its title and code, or a table to see its rows below.</p>
        <p>
          A Python node's <code>Table("name")</code> declarations become its ports: inputs on the left, outputs
          (<code>Table("name", "w")</code>) on the right. A port connects to the store of the same name, or drag from a port to a store to connect it.
        </p>
        <p>
          Delete removes the selection; Ctrl+Z undoes. Right-click a node or the canvas for its commands, or press Ctrl+K to find a node or
          run any command.
        </p>
      </aside>
    );
  }
  const hasCode = isFunctionKind(node.kind) || node.kind === "markdown" || node.kind === "chart";
  return (
    <aside className="side-panel nokey" data-testid="side-panel" aria-label="Selected node">
      <div className="side-panel-header">
        <span className="node-kind">
          {node.kind}
          {selectedCount > 1 ? <span className="muted" data-testid="selection-count"> · {selectedCount} nodes selected</span> : null}
          {readOnly ? <span className="muted"> · read-only</span> : null}
        </span>
        <button type="button" className="icon-button" title="Close" aria-label="Close panel" onClick={() => selectNode(null)}>
          ×
        </button>
      </div>
      <TitleField node={node} readOnly={readOnly} />
      {isFunctionKind(node.kind) && !readOnly ? <RunControls node={node} /> : null}
      {isFunctionKind(node.kind) ? <RuntimeToggle node={node} readOnly={readOnly} /> : null}
      {isFunctionKind(node.kind) ? <ParameterForm key={node.id} node={node} readOnly={readOnly} /> : null}
      {isStoreKind(node.kind) ? <StoreConnections node={node} /> : null}
      {hasCode ? (
        <div className="side-panel-code">
          <Suspense fallback={<div className="muted pad">Loading the editor…</div>}>
            <CodeEditor
              // A version's code gets models of its own, apart from the live code's undo history.
              path={`${viewingId ? `version-${viewingId}/` : ""}node-${node.id}.${node.kind === "python" ? "py" : node.kind === "sql" ? "sql" : node.kind === "chart" ? "json" : "md"}`}
              language={node.kind === "python" ? "python" : node.kind === "sql" ? "sql" : node.kind === "chart" ? "json" : "markdown"}
              value={node.code}
              readOnly={readOnly}
              onChange={(code) => editCode(node.id, code)}
            />
          </Suspense>
        </div>
      ) : null}
      <div className="side-panel-footer" hidden={readOnly}>
        <button
          type="button"
          className="button danger-quiet"
          data-testid="delete-node"
          onClick={() => {
            if (window.confirm(`Delete "${node.title}" from this graph?`)) deleteElements([{ id: node.id }], []);
          }}
        >
          Delete node
        </button>
      </div>
    </aside>
  );
}
