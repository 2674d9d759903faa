import { useEffect, useState } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { WEBHOOK_OUTPUT_PORT } from "@patchbay/graph";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { applyChanges, useEditorStore } from "./editor-store.ts";
import { portHandleId, type NoteFlowNode } from "./flow-mapping.ts";
import { NodeWarnings } from "./node-warnings.tsx";

type UrlState = { status: "loading" } | { status: "ready"; url: string } | { status: "error"; message: string };

// A new webhook gets its token when the graph is saved; ask again until it has one.
const URL_RETRIES = 10;
const URL_RETRY_MS = 800;

/** The webhook's secret URL, once the server has given the node a token. */
function useWebhookUrl(graphId: string | null, nodeId: string): UrlState {
  const [state, setState] = useState<UrlState>({ status: "loading" });
  useEffect(() => {
    if (!graphId) return;
    let cancelled = false;
    (async () => {
      for (let attempt = 0; attempt < URL_RETRIES && !cancelled; attempt++) {
        try {
          const hooks = await api.webhooks.list.query({ graphId });
          const hook = hooks.find((h) => h.nodeId === nodeId);
          if (hook) {
            if (!cancelled) setState({ status: "ready", url: `${window.location.origin}${hook.path}` });
            return;
          }
        } catch (error) {
          if (!cancelled) setState({ status: "error", message: describeError(error, "get the webhook's URL") });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, URL_RETRY_MS));
      }
      if (!cancelled) setState({ status: "error", message: "The server has not given this webhook a URL yet. Check that your changes are saved (top right), then reload the page." });
    })();
    return () => {
      cancelled = true;
    };
  }, [graphId, nodeId]);
  return state;
}

/**
 * A Webhook node: a secret URL; each JSON object POSTed to it becomes a row
 * {record: …} of the table wired to its output. In "respond" mode the caller
 * waits for a node to call respond_to_request.
 */
export function WebhookNodeView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const graphId = useEditorStore((s) => s.graphId);
  const mode = useEditorStore((s) => s.document?.nodes.find((n) => n.id === id)?.webhookMode ?? "ingest");
  const readOnly = useEditorStore((s) => s.viewing !== null);
  const url = useWebhookUrl(graphId, id);
  const [copied, setCopied] = useState(false);

  return (
    <div className={`graph-node note-node webhook-node${selected ? " is-selected" : ""}`} data-testid="graph-node" data-title={data.title} data-kind="webhook">
      <div className="node-header">
        <span className="node-kind">Webhook</span>
        <span className="node-title" data-testid="node-title">{data.title}</span>
        <NodeWarnings nodeId={id} />
      </div>
      <div className="webhook-body">
        {url.status === "ready" ? (
          <div className="webhook-url">
            <code data-testid="webhook-url" title="POST JSON here">{url.url}</code>
            <button
              type="button"
              className="button small nodrag"
              onClick={() => {
                void navigator.clipboard.writeText(url.url).then(() => {
                  setCopied(true);
                  setTimeout(() => setCopied(false), 1500);
                });
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        ) : url.status === "loading" ? (
          <span className="muted">Getting the URL…</span>
        ) : (
          <span className="error-text" role="alert">{url.message}</span>
        )}
        <label className="webhook-mode nodrag">
          <span>Mode</span>
          <select
            data-testid="webhook-mode"
            value={mode}
            disabled={readOnly}
            onChange={(event) => {
              const webhookMode = event.target.value === "respond" ? "respond" : "ingest";
              applyChanges([{ type: "updateNode", id, patch: { webhookMode } }]);
            }}
          >
            <option value="ingest" title="Answer at once with the number of rows stored">Ingest</option>
            <option value="respond" title="Hold the request until a node calls respond_to_request">Ingest and respond</option>
          </select>
        </label>
      </div>
      <Handle type="source" position={Position.Right} id={portHandleId("output", WEBHOOK_OUTPUT_PORT)} className="port-handle port-table" data-testid="webhook-out" />
    </div>
  );
}
