import { previewStore, readStoreCell } from "@patchbay/db";
import { isStoreKind } from "@patchbay/graph";
import { CliError } from "../cli-error.ts";
import type { CliOutput } from "../output.ts";
import type { Services } from "../open-services.ts";
import { resolveGraph } from "../resolve-graph.ts";
import { formatTextTable } from "../text-table.ts";

// previewStore serves at most this many rows at once; longer listings are read page by page.
const PAGE_ROWS = 500;
const ID_COLUMN = "patterns_id";

/** Replaces the values the preview cut short with the whole values (JSON columns parsed back). */
async function completeCells(
  services: Services,
  graphId: string,
  storeName: string,
  versionId: string | null,
  rows: Record<string, unknown>[],
  truncated: string[][],
  columns: { name: string; type: string }[],
): Promise<void> {
  for (const [index, row] of rows.entries()) {
    const patternsId = row[ID_COLUMN];
    if (typeof patternsId !== "string") continue;
    for (const column of truncated[index] ?? []) {
      const cell = await readStoreCell(services.db, graphId, storeName, { versionId: versionId ?? undefined, patternsId, column });
      if (!cell.complete) throw new CliError(`The value of "${column}" in row ${patternsId} is too long to print (${cell.length.toLocaleString("en")} characters).`);
      const isJson = columns.find((c) => c.name === column)?.type === "jsonb";
      const whole: unknown = cell.value !== null && isJson ? JSON.parse(cell.value) : cell.value;
      row[column] = whole;
    }
  }
}

/**
 * `patchbay table <graph> <store>`: the rows of a store's active version, in
 * write order, as an aligned text table, or with --json as one JSON array of
 * row objects and nothing else on stdout.
 */
export async function tableCommand(services: Services, graphArg: string, storeArg: string, options: { json: boolean; limit: number }, output: CliOutput): Promise<number> {
  const graph = await resolveGraph(services, graphArg, output);
  const stores = graph.document.nodes.filter((n) => isStoreKind(n.kind));
  const store = stores.find((n) => n.title === storeArg) ?? stores.find((n) => n.id === storeArg);
  if (!store) {
    const names = stores.map((n) => n.title).join(", ");
    throw new CliError(`Graph "${graph.slug}" has no store "${storeArg}". ${names ? `Its stores: ${names}.` : "It has no stores."}`);
  }
  const rows: Record<string, unknown>[] = [];
  let columns: { name: string; type: string }[] = [];
  let total = 0;
  let exists = false;
  let versionId: string | null = null;
  while (rows.length < options.limit) {
    const page = await previewStore(services.db, graph.id, store.title, {
      offset: rows.length,
      limit: Math.min(PAGE_ROWS, options.limit - rows.length),
      // Write order for streams too (the editor shows a stream's newest records first).
      orderBy: { column: ID_COLUMN, descending: false },
      // One version throughout, even if a run replaces the table meanwhile.
      versionId: versionId ?? undefined,
      countTotal: rows.length === 0,
    });
    exists = page.exists;
    if (!exists) break;
    versionId = page.versionId;
    columns = page.columns;
    if (page.total !== null) total = page.total;
    // The preview cuts long values; JSON output gives them whole.
    if (options.json) await completeCells(services, graph.id, store.title, versionId, page.rows, page.truncated, columns);
    rows.push(...page.rows);
    if (page.rows.length === 0 || rows.length >= total) break;
  }
  if (options.json) {
    output.result(JSON.stringify(rows));
  } else if (!exists) {
    output.info(`Store "${store.title}" has no data yet: run the graph first (patchbay run ${graph.slug}).`);
  } else {
    const names = columns.map((c) => c.name);
    for (const line of formatTextTable(names, rows.map((row) => names.map((c) => row[c])))) output.result(line);
  }
  if (exists) output.info(`${rows.length} of ${total} rows of ${store.kind} "${store.title}".`);
  return 0;
}
