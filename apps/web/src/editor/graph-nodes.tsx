import { memo, useEffect, useRef } from "react";
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { resolvePorts } from "@patchbay/graph";
import { useEditorStore, runNode } from "./editor-store.ts";
import { portHandleId, STORE_SOURCE_HANDLE, STORE_TARGET_HANDLE, type FunctionFlowNode, type NoteFlowNode, type StoreFlowNode } from "./flow-mapping.ts";
import { LiveRunBadge, RunStatusBadge } from "./run-status-badge.tsx";
import { NodeRunToolbar } from "./node-run-toolbar.tsx";
import { cancelNodeRun, useRunProgress } from "./run-actions.ts";
import { showStoreData } from "./bottom-panel-view.ts";
import { ChartNodeView } from "./chart-node.tsx";
import { MarkdownNodeView } from "./markdown-node.tsx";
import { WebhookNodeView } from "./webhook-node.tsx";
import { NodeWarnings } from "./node-warnings.tsx";

const KIND_LABEL = { python: "Python", sql: "SQL", table: "Table", stream: "Stream", markdown: "Markdown", webhook: "Webhook", chart: "Chart" } as const;

function NodeRunState({ nodeId }: { nodeId: string }) {
  const run = useEditorStore((s) => s.latestRuns[nodeId]);
  const { active, starting } = useRunProgress(nodeId);
  if (starting && !active) return <RunStatusBadge status="starting" />;
  return run ? <LiveRunBadge run={run} /> : null;
}

/** Shows the rows of the store an output port writes, when the port is bound to one. */
function showPortData(nodeId: string, port: string): void {
  const state = useEditorStore.getState();
  const doc = state.document;
  const node = doc?.nodes.find((n) => n.id === nodeId);
  if (!doc || !node) return;
  const storeId = resolvePorts(doc, node).find((p) => p.direction === "output" && p.name === port)?.storeId;
  const store = storeId ? doc.nodes.find((n) => n.id === storeId) : undefined;
  if (store) showStoreData(nodeId, store.title);
  else useEditorStore.setState({ notice: `The output "${port}" is not connected to a store yet: drag from it to a Table or Stream.` });
}

function FunctionNodeView({ id, data, selected }: NodeProps<FunctionFlowNode>) {
  const updateNodeInternals = useUpdateNodeInternals();
  // Handles move when the node's code changes its ports: React Flow must measure them again
  // to route the edges. Not on mount: React Flow measures new nodes itself, and an early call
  // would run the initial fitView before the other nodes are measured.
  const layout = [...data.inputs, ...data.outputs].map((p) => `${p.direction}:${p.name}`).join(",");
  const measured = useRef(layout);
  useEffect(() => {
    if (measured.current === layout) return;
    measured.current = layout;
    updateNodeInternals(id);
  }, [id, layout, updateNodeInternals]);
  const { active, starting } = useRunProgress(id);
  const rows = Math.max(data.inputs.length, data.outputs.length);
  return (
    <div className={`graph-node function-node kind-${data.kind}${selected ? " is-selected" : ""}`} data-testid="graph-node" data-title={data.title} data-kind={data.kind}>
      {/* Only the selected node has one: every NodeToolbar subscribes to the viewport and scans all nodes on each pan frame. */}
      {selected ? <NodeRunToolbar nodeId={id} visible /> : null}
      <div className="node-header">
        <span className="node-kind">{KIND_LABEL[data.kind]}</span>
        <span className="node-title" data-testid="node-title">{data.title}</span>
        <NodeWarnings nodeId={id} />
      </div>
      <div className="node-toolbar">
        <NodeRunState nodeId={id} />
        {active ? (
          <button
            type="button"
            className="node-run-button nodrag cancel"
            data-testid="node-cancel"
            title="Cancel this run"
            onClick={(event) => {
              event.stopPropagation();
              void cancelNodeRun(id);
            }}
          >
            ■ Cancel
          </button>
        ) : (
          <button
            type="button"
            className="node-run-button nodrag"
            data-testid="node-run"
            title="Run this node (Shift+Enter)"
            disabled={starting}
            onClick={(event) => {
              event.stopPropagation();
              void runNode(id);
            }}
          >
            ▶ Run
          </button>
        )}
      </div>
      {rows > 0 ? (
        <div className="node-ports">
          <div className="port-column inputs">
            {data.inputs.map((port) => (
              <div key={port.name} className="port-row input" data-testid={`port-in-${port.name}`} title={`${port.kind} input "${port.name}"`}>
                <Handle type="target" position={Position.Left} id={portHandleId("input", port.name)} className={`port-handle port-${port.kind}`} />
                <span className="port-label">{port.name}</span>
              </div>
            ))}
          </div>
          <div className="port-column outputs">
            {data.outputs.map((port) => (
              <div key={port.name} className="port-row output" data-testid={`port-out-${port.name}`} title={`${port.kind} output "${port.name}": click to see its rows`}>
                <button
                  type="button"
                  className="port-label port-data-link nodrag"
                  data-testid={`port-data-${port.name}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    showPortData(id, port.name);
                  }}
                >
                  {port.name}
                </button>
                <Handle type="source" position={Position.Right} id={portHandleId("output", port.name)} className={`port-handle port-${port.kind}`} />
              </div>
            ))}
          </div>
        </div>
      ) : (
        <div className="node-empty">No ports: declare a Table or Stream in the code.</div>
      )}
      {data.syntaxError ? (
        <div className="node-warning" title={data.syntaxError.message}>
          Line {data.syntaxError.line}: {data.syntaxError.message}
        </div>
      ) : null}
    </div>
  );
}

function StoreNodeView({ id, data, selected }: NodeProps<StoreFlowNode>) {
  return (
    <div className={`graph-node store-node kind-${data.kind}${selected ? " is-selected" : ""}`} data-testid="graph-node" data-title={data.title} data-kind={data.kind}>
      <Handle type="target" position={Position.Left} id={STORE_TARGET_HANDLE} className="store-handle" data-testid="store-in" />
      <span className="store-icon" aria-hidden="true">{data.kind === "table" ? "▦" : "≋"}</span>
      <div className="store-text">
        <span className="node-kind">{KIND_LABEL[data.kind]}</span>
        <span className="node-title" data-testid="node-title">{data.title}</span>
      </div>
      <NodeWarnings nodeId={id} />
      <Handle type="source" position={Position.Right} id={STORE_SOURCE_HANDLE} className="store-handle" data-testid="store-out" />
    </div>
  );
}

function NoteNodeView(props: NodeProps<NoteFlowNode>) {
  const { data, selected } = props;
  if (data.kind === "chart") return <ChartNodeView {...props} />;
  if (data.kind === "markdown") return <MarkdownNodeView {...props} />;
  if (data.kind === "webhook") return <WebhookNodeView {...props} />;
  return (
    <div className={`graph-node note-node kind-${data.kind}${selected ? " is-selected" : ""}`} data-testid="graph-node" data-title={data.title} data-kind={data.kind}>
      <div className="node-header">
        <span className="node-kind">{KIND_LABEL[data.kind]}</span>
        <span className="node-title" data-testid="node-title">{data.title}</span>
      </div>
      <div className="note-text">{data.code}</div>
    </div>
  );
}

export const nodeTypes = {
  function: memo(FunctionNodeView),
  store: memo(StoreNodeView),
  note: memo(NoteNodeView),
};
