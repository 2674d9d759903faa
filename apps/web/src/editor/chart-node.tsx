import { useEffect, useRef, useState } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { CHART_INPUT_PORT } from "@patchbay/graph";
import { describeError } from "../api/describe-error.ts";
import { useEditorStore, type EditorState } from "./editor-store.ts";
import { portHandleId, type NoteFlowNode } from "./flow-mapping.ts";
import { storesOfNode } from "./bottom-panel-view.ts";
import { fetchChartRows } from "./chart-data.ts";
import { CHART_MAX_ROWS, chartSpecWithRows } from "./chart-spec.ts";

const CHART_SIZE = { width: 280, height: 170 };

type ChartRows = Awaited<ReturnType<typeof fetchChartRows>>;

type ChartState = { status: "idle" | "loading" } | { status: "error"; message: string } | { status: "drawn"; rows: number; total: number };

/** The store a chart node draws: the one wired to its input port. */
function chartStore(state: EditorState, nodeId: string): string | null {
  const doc = state.document;
  const node = doc?.nodes.find((n) => n.id === nodeId);
  return doc && node ? (storesOfNode(doc, node)[0]?.name ?? null) : null;
}

/** Changes whenever a run that wrote the store finishes, so the chart redraws with the new rows. */
function storeWrites(state: EditorState, storeName: string | null): string {
  if (!storeName) return "";
  return Object.values(state.latestRuns)
    .filter((r) => r.status === "succeeded" && r.storesWritten.includes(storeName))
    .map((r) => r.id)
    .sort()
    .join(",");
}

/** A chart node: a Vega-Lite spec drawn inside the node with the rows of its input store. */
export function ChartNodeView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const graphId = useEditorStore((s) => s.graphId);
  const storeName = useEditorStore((s) => chartStore(s, id));
  const writes = useEditorStore((s) => storeWrites(s, storeName));
  const target = useRef<HTMLDivElement>(null);
  const [rows, setRows] = useState<ChartRows | null>(null);
  const [state, setState] = useState<ChartState>({ status: "idle" });

  // The rows, fetched again only when the store or its data change (not on each edit of the spec).
  useEffect(() => {
    setRows(null);
    if (!graphId || !storeName) {
      setState({ status: "idle" });
      return;
    }
    let cancelled = false;
    setState({ status: "loading" });
    fetchChartRows(graphId, storeName).then(
      (fetched) => {
        if (!cancelled) setRows(fetched);
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: "error", message: describeError(error, "draw the chart") });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [graphId, storeName, writes]);

  // The drawing, redone when the rows or the spec change.
  useEffect(() => {
    const element = target.current;
    if (!rows || !element || !storeName) return;
    if (!rows.exists) {
      setState({ status: "error", message: `“${storeName}” has no data yet. Run the node that writes it.` });
      return;
    }
    const built = chartSpecWithRows(data.code, rows.rows, CHART_SIZE);
    if ("error" in built) {
      setState({ status: "error", message: built.error });
      return;
    }
    let cancelled = false;
    let finalize: (() => void) | null = null;
    import("vega-embed")
      .then(({ default: embed }) => embed(element, built.spec, { actions: false, renderer: "svg" }))
      .then(
        (result) => {
          if (cancelled) {
            result.finalize();
            return;
          }
          finalize = () => result.finalize();
          setState({ status: "drawn", rows: rows.rows.length, total: rows.total });
        },
        (error: unknown) => {
          if (!cancelled) setState({ status: "error", message: describeError(error, "draw the chart") });
        },
      );
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [rows, data.code, storeName]);

  return (
    <div className={`graph-node chart-node${selected ? " is-selected" : ""}`} data-testid="graph-node" data-title={data.title} data-kind="chart" data-chart-state={state.status}>
      <Handle type="target" position={Position.Left} id={portHandleId("input", CHART_INPUT_PORT)} className="port-handle port-table" data-testid="chart-in" />
      <div className="node-header">
        <span className="node-kind">Chart{storeName ? ` · ${storeName}` : ""}</span>
        <span className="node-title" data-testid="node-title">{data.title}</span>
      </div>
      <div className="chart-body nodrag nowheel" ref={target} data-testid="chart-body" />
      {!storeName ? <p className="chart-message muted">Connect a Table to the chart's input (drag from the Table to the dot on the left).</p> : null}
      {state.status === "loading" ? <p className="chart-message muted">Loading the rows…</p> : null}
      {state.status === "error" ? (
        <p className="chart-message error-text" role="alert" data-testid="chart-error">
          {state.message}
        </p>
      ) : null}
      {state.status === "drawn" && state.total > state.rows ? (
        <p className="chart-message muted small">First {CHART_MAX_ROWS.toLocaleString()} of {state.total.toLocaleString()} rows.</p>
      ) : null}
    </div>
  );
}
