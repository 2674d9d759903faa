/** A node of the benchmark graph, in the shape `graphs.applyChanges` takes. */
export interface BenchNode {
  id: string;
  kind: "python" | "table";
  title: string;
  position: { x: number; y: number };
  code: string;
  inputs: Record<string, string | null>;
  outputs: Record<string, string | null>;
  parameterValues: Record<string, unknown>;
  runtime: "server";
}

const COLUMNS = 25;
const PAIR_WIDTH = 620;
const ROW_HEIGHT = 200;

/**
 * A pipeline of `pairs` Python nodes each writing its own table and reading the one or two
 * (three for the last nodes) tables before it: 2 × pairs nodes and 3 × pairs edges
 * (1,000 nodes and 1,500 edges for 500 pairs), all bound by name, laid out in a grid.
 */
export function benchGraph(pairs = 500): { nodes: BenchNode[]; edges: number } {
  const nodes: BenchNode[] = [];
  let edges = 0;
  for (let i = 0; i < pairs; i++) {
    const reads = [i - 1, i - 2, ...(i >= pairs - 3 ? [i - 3] : [])].filter((j) => j >= 0);
    const code = [
      "from patterns import Table",
      ...reads.map((j, k) => `in_${k} = Table("t_${j}")`),
      `out = Table("t_${i}", "w")`,
      "out.append([{\"n\": 1}])",
    ].join("\n");
    edges += reads.length + 1;
    const x = (i % COLUMNS) * PAIR_WIDTH;
    const y = Math.floor(i / COLUMNS) * ROW_HEIGHT;
    const base = { inputs: {}, outputs: {}, parameterValues: {}, runtime: "server" as const };
    nodes.push({ id: `p_${i}`, kind: "python", title: `step_${i}`, position: { x, y }, code, ...base });
    nodes.push({ id: `t_${i}`, kind: "table", title: `t_${i}`, position: { x: x + 330, y: y + 20 }, code: "", ...base });
  }
  return { nodes, edges };
}
