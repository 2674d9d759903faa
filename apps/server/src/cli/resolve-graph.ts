import { NotFoundError, type GraphRecord } from "@patchbay/db";
import { CliError } from "./cli-error.ts";
import { importAppFolder } from "./commands/import.ts";
import { isAppFolder } from "./app-folder.ts";
import type { CliOutput } from "./output.ts";
import type { Services } from "./open-services.ts";

const looksLikePath = (arg: string) => arg.includes("/") || arg.includes("\\") || arg.startsWith(".");

/**
 * The graph a command names: a folder with a graph.yml (imported first, as a
 * new graph), else a graph id or slug.
 */
export async function resolveGraph(services: Services, arg: string, output: CliOutput): Promise<GraphRecord> {
  if (await isAppFolder(arg)) {
    const { id } = await importAppFolder(async () => services, arg, output);
    return services.graphs.get(id, services.workspaceId);
  }
  try {
    return await services.graphs.get(arg, services.workspaceId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    if (looksLikePath(arg)) throw new CliError(`No graph "${arg}", and no folder with a graph.yml there. Give a graph id or slug (see \`patchbay graphs\`) or the folder of a Patterns app.`);
    throw new CliError(`No graph "${arg}". Run \`patchbay graphs\` to list graphs by id and slug, or give the folder of a Patterns app.`);
  }
}
