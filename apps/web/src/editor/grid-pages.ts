/** Rows fetched per request while scrolling the data grid. */
export const GRID_PAGE_SIZE = 100;
/** Pages kept in memory; far-away pages are dropped, so a million-row table never fills the tab. */
export const GRID_MAX_PAGES = 40;

/** The pages that hold rows `first`…`last` (inclusive). */
export function pagesForRows(first: number, last: number, pageSize = GRID_PAGE_SIZE): number[] {
  if (last < first || last < 0) return [];
  const pages: number[] = [];
  for (let page = Math.floor(Math.max(0, first) / pageSize); page <= Math.floor(last / pageSize); page++) pages.push(page);
  return pages;
}

/** Which wanted page to fetch next: none if all are loaded or loading, else the one nearest the view's centre. */
export function nextPageToFetch(wanted: readonly number[], loaded: ReadonlySet<number>, loading: ReadonlySet<number>): number | null {
  const missing = wanted.filter((p) => !loaded.has(p) && !loading.has(p));
  if (missing.length === 0) return null;
  const centre = (wanted[0]! + wanted[wanted.length - 1]!) / 2;
  return missing.reduce((best, p) => (Math.abs(p - centre) < Math.abs(best - centre) ? p : best));
}

/** The pages to forget: the ones farthest from the view, beyond `max` pages kept. */
export function pagesToEvict(loaded: readonly number[], visible: readonly number[], max = GRID_MAX_PAGES): number[] {
  if (loaded.length <= max || visible.length === 0) return [];
  const centre = (visible[0]! + visible[visible.length - 1]!) / 2;
  return [...loaded].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre)).slice(0, loaded.length - max);
}

/** The order after clicking a column header: ascending, then descending, then the store's own order. */
export function nextSort(
  current: { column: string; descending: boolean } | null,
  column: string,
): { column: string; descending: boolean } | null {
  if (!current || current.column !== column) return { column, descending: false };
  if (!current.descending) return { column, descending: true };
  return null;
}

/** A cell's text in the grid: JSON as JSON, nothing for null. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** "rows 1–40 of 1,000,000": the rows in view (indexes from 0, `last` inclusive). */
export function rowRangeLabel(first: number, last: number, total: number): string {
  if (total === 0 || last < first) return `no rows (of ${total.toLocaleString("en-US")})`;
  return `rows ${(first + 1).toLocaleString("en-US")}–${(Math.min(last, total - 1) + 1).toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
}
