import { isFunctionKind, type GraphNode } from "@patchbay/graph";
import type { NodeRunRecord } from "@patchbay/db";
import type { RunScope } from "@patchbay/api";
import { CliError, EXIT } from "../cli-error.ts";
import type { CliOutput } from "../output.ts";
import type { Services } from "../open-services.ts";
import { resolveGraph } from "../resolve-graph.ts";

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 150;

function seconds(nodeRun: NodeRunRecord): string {
  if (!nodeRun.startedAt || !nodeRun.finishedAt) return "";
  return ` in ${((Date.parse(nodeRun.finishedAt) - Date.parse(nodeRun.startedAt)) / 1000).toFixed(1)} s`;
}

function findNode(nodes: GraphNode[], arg: string): GraphNode {
  const runnable = nodes.filter((n) => isFunctionKind(n.kind));
  const byId = runnable.find((n) => n.id === arg);
  if (byId) return byId;
  const byTitle = runnable.filter((n) => n.title === arg);
  if (byTitle.length === 1 && byTitle[0]) return byTitle[0];
  const list = runnable.map((n) => (n.title === n.id ? n.id : `${n.id} (${n.title})`)).join(", ");
  if (byTitle.length > 1) throw new CliError(`Several nodes are titled "${arg}"; give one by id: ${list}.`);
  throw new CliError(`No Python or SQL node "${arg}" in this graph. Its runnable nodes: ${list || "none"}.`);
}

/**
 * `patchbay run <graph> [--node <id>] [--downstream]`: runs on the server
 * runtime in this process and prints each node as it finishes. Exits 1 when
 * a node fails, after printing its error.
 */
export async function runCommand(services: Services, graphArg: string, options: { node: string | null; downstream: boolean; logs: boolean }, output: CliOutput): Promise<number> {
  const graph = await resolveGraph(services, graphArg, output);
  const node = options.node === null ? null : findNode(graph.document.nodes, options.node);
  const scope: RunScope = node === null ? "graph" : options.downstream ? "downstream" : "node";
  const titles = new Map(graph.document.nodes.map((n) => [n.id, n.title]));
  const { runId } = await services.runs.start({ graphId: graph.id, nodeId: node?.id ?? null, scope, startedBy: null });
  output.info(`Running ${node ? `"${node.title}"${scope === "downstream" ? " and everything downstream" : ""}` : "the whole graph"} of "${graph.title}" (run ${runId}).`);

  const printed = new Set<string>();
  const failed: string[] = [];
  const report = (nodeRuns: NodeRunRecord[]) => {
    for (const nodeRun of nodeRuns) {
      if (!FINISHED.has(nodeRun.status) || printed.has(nodeRun.id)) continue;
      printed.add(nodeRun.id);
      const title = titles.get(nodeRun.nodeId) ?? nodeRun.nodeId;
      const name = title === nodeRun.nodeId ? title : `${title} (${nodeRun.nodeId})`;
      const records = nodeRun.status === "succeeded" ? `: ${nodeRun.recordsOut} records written${seconds(nodeRun)}` : "";
      output.result(`${nodeRun.status.padEnd(9)}  ${name}${records}`);
      if (options.logs) for (const entry of nodeRun.logs) output.result(`    ${entry.level}: ${entry.message}`);
      if (nodeRun.status !== "succeeded" && nodeRun.error) for (const line of nodeRun.error.trimEnd().split("\n")) output.result(`    ${line}`);
      if (nodeRun.status === "failed") failed.push(title);
    }
  };
  // Node runs are read from the database, so a node another process ran (a
  // server sharing DATABASE_URL) is reported as well.
  let done = false;
  const finished = services.runs.waitForRun(runId).finally(() => {
    done = true;
  });
  while (!done) {
    report(await services.runRepository.nodeRunsOfRun(runId));
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
  }
  const { status, nodeRuns } = await finished;
  report(nodeRuns);
  if (status === "succeeded") {
    output.info(`Run succeeded: ${nodeRuns.length} node run${nodeRuns.length === 1 ? "" : "s"}.`);
    return EXIT.ok;
  }
  output.info(`Run ${status}${failed.length ? `: ${failed.map((t) => `"${t}"`).join(", ")} failed` : ""}.`);
  return EXIT.failed;
}
