import { api } from "../api/client.ts";
import { CHART_MAX_ROWS } from "./chart-spec.ts";

export type JsonRecord = Record<string, unknown>;

const PAGE = 500;

/** Up to CHART_MAX_ROWS rows of a store's active version, in store order, for a chart. */
export async function fetchChartRows(graphId: string, storeName: string): Promise<{ exists: boolean; rows: JsonRecord[]; total: number }> {
  const first = await api.stores.preview.query({ graphId, storeName, offset: 0, limit: PAGE, orderBy: { column: "patterns_id", descending: false } });
  if (!first.exists) return { exists: false, rows: [], total: 0 };
  const total = first.total ?? first.rows.length;
  const wanted = Math.min(total, CHART_MAX_ROWS);
  const rest: Promise<{ rows: JsonRecord[] }>[] = [];
  for (let offset = PAGE; offset < wanted; offset += PAGE) {
    // Fired together: the client batches them into one request.
    rest.push(
      api.stores.preview.query({
        graphId,
        storeName,
        offset,
        limit: Math.min(PAGE, wanted - offset),
        orderBy: { column: "patterns_id", descending: false },
        versionId: first.versionId ?? undefined,
        countTotal: false,
      }),
    );
  }
  const pages = await Promise.all(rest);
  return { exists: true, rows: [...first.rows, ...pages.flatMap((p) => p.rows)], total };
}
