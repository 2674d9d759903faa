import type { CliOutput } from "../output.ts";
import type { Services } from "../open-services.ts";
import { formatTextTable } from "../text-table.ts";

/** `patchbay graphs`: id, slug and title of every graph, newest change first. */
export async function graphsCommand(services: Services, json: boolean, output: CliOutput): Promise<number> {
  const graphs = await services.graphs.list(services.workspaceId);
  if (json) {
    output.result(JSON.stringify(graphs.map(({ id, slug, title, nodeCount, updatedAt }) => ({ id, slug, title, nodeCount, updatedAt }))));
    return 0;
  }
  if (graphs.length === 0) {
    output.info("No graphs yet. Import one with `patchbay import <folder>`.");
    return 0;
  }
  for (const line of formatTextTable(["id", "slug", "title", "nodes"], graphs.map((g) => [g.id, g.slug, g.title, g.nodeCount]))) output.result(line);
  return 0;
}
