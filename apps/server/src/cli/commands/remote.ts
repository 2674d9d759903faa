import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import type { AppRouter } from "@patchbay/api";
import { CliError, EXIT } from "../cli-error.ts";
import type { CliOutput } from "../output.ts";
import { formatTextTable } from "../text-table.ts";

// `graphs`, `table` and `run` against a Patchbay server's API (PATCHBAY_SERVER with
// PATCHBAY_TOKEN, an API token): the server checks the token's workspace and role like
// any other caller's. The other commands work on a local database only.

export type RemoteClient = TRPCClient<AppRouter>;

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 300;
const PAGE_ROWS = 500;

export function remoteClient(remote: { server: string; token: string }): RemoteClient {
  if (!remote.token) throw new CliError("PATCHBAY_SERVER is set but PATCHBAY_TOKEN is not: create an API token in the server's settings (API tokens) and set PATCHBAY_TOKEN to it.");
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${remote.server}/trpc`, headers: { authorization: `Bearer ${remote.token}`, "x-patchbay-csrf": "1" } })],
  });
}

/** Turns an API refusal into a CLI error with the server's message. */
async function call<T>(what: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw new CliError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function remoteGraphs(client: RemoteClient, json: boolean, output: CliOutput): Promise<number> {
  const graphs = await call("Listing graphs", client.graphs.list.query());
  if (json) output.result(JSON.stringify(graphs.map((g) => ({ id: g.id, slug: g.slug, title: g.title }))));
  else for (const line of formatTextTable(["id", "slug", "title"], graphs.map((g) => [g.id, g.slug, g.title]))) output.result(line);
  return EXIT.ok;
}

export async function remoteTable(client: RemoteClient, graph: string, store: string, options: { json: boolean; limit: number }, output: CliOutput): Promise<number> {
  const rows: Record<string, unknown>[] = [];
  let columns: { name: string; type: string }[] = [];
  let versionId: string | undefined;
  for (;;) {
    const page = await call(`Reading "${store}"`, client.stores.preview.query({ graphId: graph, storeName: store, offset: rows.length, limit: Math.min(PAGE_ROWS, options.limit - rows.length), orderBy: { column: "patterns_id", descending: false }, ...(versionId ? { versionId } : {}) }));
    if (!page.exists) {
      output.info(`Store "${store}" has no data yet.`);
      if (options.json) output.result("[]");
      return EXIT.ok;
    }
    versionId = page.versionId ?? undefined;
    columns = page.columns;
    // The preview cuts long values; fetch those whole.
    for (const [index, row] of page.rows.entries()) {
      for (const column of page.truncated[index] ?? []) {
        const id = row["patterns_id"];
        if (typeof id !== "string") continue;
        const cell = await call("Reading a long value", client.stores.cell.query({ graphId: graph, storeName: store, patternsId: id, column, ...(versionId ? { versionId } : {}) }));
        const type = columns.find((c) => c.name === column)?.type;
        row[column] = type === "jsonb" && cell.value !== null ? JSON.parse(cell.value) : cell.value;
      }
    }
    rows.push(...page.rows);
    if (page.rows.length === 0 || rows.length >= options.limit || (page.total !== null && rows.length >= page.total)) break;
  }
  if (options.json) output.result(JSON.stringify(rows));
  else {
    const names = columns.map((c) => c.name);
    for (const line of formatTextTable(names, rows.map((row) => names.map((c) => row[c])))) output.result(line);
  }
  return EXIT.ok;
}

export async function remoteRun(client: RemoteClient, graph: string, options: { node: string | null; downstream: boolean }, output: CliOutput): Promise<number> {
  const scope = options.node === null ? "graph" : options.downstream ? "downstream" : "node";
  const { runId } = await call("Starting the run", client.runs.start.mutate({ graphId: graph, nodeId: options.node, scope }));
  output.info(`Running on ${scope === "graph" ? "the whole graph" : `"${options.node}"`} (run ${runId}).`);
  const reported = new Set<string>();
  for (;;) {
    const run = await call("Following the run", client.runs.get.query({ graphId: graph, runId }));
    for (const nodeRun of run.nodeRuns) {
      if (!FINISHED.has(nodeRun.status) || reported.has(nodeRun.id)) continue;
      reported.add(nodeRun.id);
      output.result(`${nodeRun.nodeId}: ${nodeRun.status}, ${nodeRun.recordsOut} records written`);
      if (nodeRun.status === "failed" && nodeRun.error) output.info(nodeRun.error);
    }
    if (FINISHED.has(run.status)) return run.status === "succeeded" ? EXIT.ok : EXIT.failed;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
