import { describeProblem, importGraphYml, isStoreKind } from "@patchbay/graph";
import { readAppFolder } from "../app-folder.ts";
import type { CliOutput } from "../output.ts";
import type { Services } from "../open-services.ts";

/**
 * Imports the Patterns app in `dir` as a new graph; reports warnings and a
 * summary on stderr. The folder is read and checked before the database is
 * opened, so a bad folder fails fast and changes nothing.
 */
export async function importAppFolder(openServices: () => Promise<Services>, dir: string, output: CliOutput): Promise<{ id: string; slug: string }> {
  const { files, name } = await readAppFolder(dir);
  const imported = importGraphYml(files, { defaultTitle: name });
  for (const warning of imported.warnings) output.info(`warning: ${describeProblem(warning)}`);
  const services = await openServices();
  const { id, slug } = await services.graphs.create(services.workspaceId, imported.title, imported.document, imported.slug ?? undefined);
  // Cron triggers take effect as when a graph is saved in the editor.
  try {
    await services.afterGraphChange(id);
  } catch (error) {
    output.info(`warning: the graph was imported, but its schedules could not be registered: ${error instanceof Error ? error.message : String(error)}. Fix the node's trigger in the editor.`);
  }
  const nodes = imported.document.nodes;
  const stores = nodes.filter((n) => isStoreKind(n.kind)).length;
  output.info(`Imported "${imported.title}" from ${dir} as ${slug}: ${nodes.length - stores} functions and docs, ${stores} stores.`);
  if (imported.slug !== null && imported.slug !== slug) output.info(`(graph.yml asks for the slug "${imported.slug}"; this graph's slug is "${slug}".)`);
  return { id, slug };
}

/** `patchbay import <dir>`: prints the new graph's id alone on the last line of stdout. */
export async function importCommand(openServices: () => Promise<Services>, dir: string, output: CliOutput): Promise<number> {
  const { id } = await importAppFolder(openServices, dir, output);
  output.result(id);
  return 0;
}
