import type { GraphNode } from "@patchbay/graph";

/** A graph node for tests: its id is its title, at the origin, with no bindings or parameters. */
export function testNode(id: string, kind: GraphNode["kind"], code = "", extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind, title: id, position: { x: 0, y: 0 }, code, inputs: {}, outputs: {}, parameterValues: {}, runtime: "server", ...extra };
}
