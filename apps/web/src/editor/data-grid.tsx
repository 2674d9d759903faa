import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { api, type StorePreview } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { FullValueDialog, type CellRef } from "./full-value-dialog.tsx";
import { formatCell, GRID_PAGE_SIZE, nextPageToFetch, nextSort, pagesForRows, pagesToEvict, rowRangeLabel } from "./grid-pages.ts";

type Sort = { column: string; descending: boolean };
type Column = StorePreview["columns"][number];
type Page = { rows: StorePreview["rows"]; truncated: string[][] };
type Meta = { exists: boolean; kind: string | null; versionId: string | null; columns: Column[]; total: number; orderBy: Sort };

const ROW_HEIGHT = 26;
const ID_COLUMN = "patterns_id";

function columnWidth(column: Column): number {
  if (column.name === ID_COLUMN) return 240;
  switch (column.type) {
    case "bigint":
    case "double precision":
      return 120;
    case "boolean":
      return 90;
    case "timestamptz":
    case "date":
      return 200;
    default:
      return 220;
  }
}

interface DataGridProps {
  graphId: string;
  storeName: string;
  /** A version other than the active one. */
  versionId: string | undefined;
  /** Changes when the store may have new rows: the grid reloads. */
  refreshKey: number | string;
  /** Shown in the grid's toolbar, e.g. the version picker. */
  toolbar?: ReactNode;
}

/**
 * A store's rows in a virtualized grid: only the rows on screen are drawn and only the
 * pages around them are fetched (and kept), so a million-row table scrolls like a small
 * one. Sorting happens on the server; long values arrive cut short and are fetched whole
 * on click.
 */
export function DataGrid({ graphId, storeName, versionId, refreshKey, toolbar }: DataGridProps) {
  const [sort, setSort] = useState<Sort | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setPagesChanged] = useState(0);
  const [openCell, setOpenCell] = useState<CellRef | null>(null);
  const pages = useRef(new Map<number, Page>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const wanted = useRef<number[]>([]);

  // A new store, version, order or data: start over from the first page, with its count.
  useEffect(() => {
    const current = ++generation.current;
    pages.current = new Map();
    loading.current = new Set([0]);
    setError(null);
    api.stores.preview
      .query({ graphId, storeName, offset: 0, limit: GRID_PAGE_SIZE, versionId, ...(sort ? { orderBy: sort } : {}), countTotal: true })
      .then((preview) => {
        if (current !== generation.current) return;
        loading.current.delete(0);
        pages.current.set(0, { rows: preview.rows, truncated: preview.truncated });
        const next: Meta = {
          exists: preview.exists,
          kind: preview.kind,
          versionId: preview.versionId,
          columns: preview.columns,
          total: preview.total ?? preview.rows.length,
          orderBy: preview.orderBy,
        };
        setMeta(next);
        setPagesChanged((n) => n + 1);
      })
      .catch((failure: unknown) => {
        if (current !== generation.current) return;
        loading.current.delete(0);
        setError(describeError(failure, `read the store "${storeName}"`));
      });
  }, [graphId, storeName, versionId, sort, refreshKey]);

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [storeName, versionId, sort]);

  const total = meta?.exists ? meta.total : 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items[items.length - 1]?.index ?? -1;

  /** Fetches the missing page nearest the view, one request at a time, until the view is filled. */
  const pump = useCallback(() => {
    if (loading.current.size > 0) return;
    const page = nextPageToFetch(wanted.current, new Set(pages.current.keys()), loading.current);
    if (page === null) return;
    const current = generation.current;
    loading.current.add(page);
    api.stores.preview
      .query({
        graphId,
        storeName,
        offset: page * GRID_PAGE_SIZE,
        limit: GRID_PAGE_SIZE,
        versionId: meta?.versionId ?? versionId,
        ...(sort ? { orderBy: sort } : {}),
        countTotal: false,
      })
      .then((preview) => {
        if (current !== generation.current) return;
        pages.current.set(page, { rows: preview.rows, truncated: preview.truncated });
        for (const old of pagesToEvict([...pages.current.keys()], wanted.current)) pages.current.delete(old);
        setPagesChanged((n) => n + 1);
      })
      .catch((failure: unknown) => {
        if (current === generation.current) setError(describeError(failure, `read more rows of "${storeName}"`));
      })
      .finally(() => {
        if (current !== generation.current) return;
        loading.current.delete(page);
        pump();
      });
  }, [graphId, storeName, versionId, sort, meta?.versionId]);

  useEffect(() => {
    wanted.current = pagesForRows(firstRow, lastRow);
    pump();
    // A reload (new meta) empties the pages, so the rows in view are wanted again.
  }, [firstRow, lastRow, pump, meta]);

  const openFull = (row: Record<string, unknown>, column: string) => {
    const patternsId = row[ID_COLUMN];
    if (typeof patternsId !== "string") return;
    setOpenCell({ graphId, storeName, versionId: meta?.versionId ?? versionId, patternsId, column });
  };

  if (error && !meta) return <p className="error-text pad" role="alert">{error}</p>;
  if (!meta) return <p className="muted pad">Loading “{storeName}”…</p>;
  if (!meta.exists) {
    return (
      <div className="data-grid-wrap">
        {toolbar ? <div className="preview-toolbar">{toolbar}</div> : null}
        <p className="muted pad" data-testid="store-empty">
          The {meta.kind ?? "store"} “{storeName}” has no data yet. Run a node that writes it.
        </p>
      </div>
    );
  }

  const columns = meta.columns;
  const widths = columns.map(columnWidth);
  const gridTemplate = widths.map((w) => `${w}px`).join(" ");
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  const effectiveSort = sort ?? meta.orderBy;

  return (
    <div className="data-grid-wrap" data-testid="store-preview">
      <div className="preview-toolbar">
        <span className="preview-count" data-testid="row-count" data-total={meta.total}>
          {meta.total.toLocaleString()} {meta.total === 1 ? "row" : "rows"}
          {meta.kind === "stream" && !sort ? " · newest first" : ""}
        </span>
        <span className="preview-count muted" data-testid="row-range">
          {rowRangeLabel(virtualizer.range?.startIndex ?? firstRow, virtualizer.range?.endIndex ?? lastRow, meta.total)}
        </span>
        {error ? (
          <span className="error-text small" role="alert">
            {error}
          </span>
        ) : null}
        <span className="topbar-spacer" />
        {toolbar}
      </div>
      <div className="data-grid-scroll" ref={scrollRef} data-testid="grid-scroll">
        <table className="preview-table data-grid" data-testid="preview-table" style={{ width: totalWidth }}>
          <thead className="data-grid-head">
            <tr style={{ gridTemplateColumns: gridTemplate }}>
              {columns.map((column) => {
                const sorted = effectiveSort.column === column.name ? (effectiveSort.descending ? "descending" : "ascending") : "none";
                return (
                  <th
                    key={column.name}
                    aria-sort={sorted}
                    data-testid={`column-${column.name}`}
                    data-sort={sorted}
                    title={`Sort by ${column.name}`}
                    onClick={() => setSort(nextSort(sort, column.name))}
                  >
                    <span className="column-name">
                      {column.name}
                      {sorted === "ascending" ? " ▲" : sorted === "descending" ? " ▼" : ""}
                    </span>
                    <span className="column-type">{column.type}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const page = pages.current.get(Math.floor(item.index / GRID_PAGE_SIZE));
              const offset = item.index % GRID_PAGE_SIZE;
              const row = page?.rows[offset];
              const cut = page?.truncated[offset] ?? [];
              return (
                <tr
                  key={item.key}
                  data-index={item.index}
                  className={row ? undefined : "row-loading"}
                  style={{ gridTemplateColumns: gridTemplate, transform: `translateY(${item.start}px)` }}
                >
                  {columns.map((column) => {
                    if (!row) return <td key={column.name} />;
                    const text = formatCell(row[column.name]);
                    if (cut.includes(column.name)) {
                      return (
                        <td key={column.name} className="cell-truncated" data-testid="truncated-cell" title="Cut short: click to see the whole value" onClick={() => openFull(row, column.name)}>
                          {text}…
                        </td>
                      );
                    }
                    return (
                      <td key={column.name} title={text.length > 30 ? text : undefined}>
                        {text}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {openCell ? <FullValueDialog cell={openCell} onClose={() => setOpenCell(null)} /> : null}
    </div>
  );
}
