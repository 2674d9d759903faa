import { exportGraphYml } from "@patchbay/graph";
import { writeAppFolder } from "../app-folder.ts";
import type { CliOutput } from "../output.ts";
import type { Services } from "../open-services.ts";
import { resolveGraph } from "../resolve-graph.ts";

/** `patchbay export <graph> <dir>`: writes graph.yml and the node files; prints each file written. */
export async function exportCommand(services: Services, graphArg: string, dir: string, overwrite: boolean, output: CliOutput): Promise<number> {
  const graph = await resolveGraph(services, graphArg, output);
  const files = exportGraphYml(graph.document, { title: graph.title, slug: graph.slug });
  const written = await writeAppFolder(dir, files, overwrite);
  for (const path of written) output.result(path);
  output.info(`Exported "${graph.title}" (${graph.slug}) to ${dir}: ${written.length} files.`);
  return 0;
}
