import type { GraphNode } from "./document.ts";
import type { PortSpec } from "./infer-ports.ts";

/** The port of a webhook node: the table its requests are appended to (graph.yml `webhook`). */
export const WEBHOOK_OUTPUT_PORT = "output";
/** The port of a chart node: the store it draws (graph.yml `chart_input`). */
export const CHART_INPUT_PORT = "input";

/** The fixed ports of nodes that have no code to infer them from. */
export function fixedPorts(node: GraphNode): PortSpec[] {
  if (node.kind === "webhook") return [{ name: WEBHOOK_OUTPUT_PORT, direction: "output", kind: "table", required: true, line: 0, description: "Each request body becomes a row {record: …}" }];
  if (node.kind === "chart") return [{ name: CHART_INPUT_PORT, direction: "input", kind: "table", required: true, line: 0, description: "The rows the chart draws" }];
  return [];
}
