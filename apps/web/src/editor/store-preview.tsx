import { useEffect, useState } from "react";
import type { GraphNode } from "@patchbay/graph";
import { api, type StorePreview as StorePreviewData } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { useEditorStore } from "./editor-store.ts";

export const PREVIEW_PAGE_SIZE = 50;

type PreviewState = { status: "loading" } | { status: "error"; message: string } | { status: "ready"; preview: StorePreviewData };

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** "rows 1–50 of 120" for a page of a store. */
export function rowRangeLabel(offset: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return `no rows (of ${total})`;
  return `rows ${offset + 1}–${offset + shown} of ${total}`;
}

export function StorePreview({ node }: { node: GraphNode }) {
  const graphId = useEditorStore((s) => s.graphId);
  const dataVersion = useEditorStore((s) => s.dataVersion);
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState<PreviewState>({ status: "loading" });
  const storeName = node.title;

  useEffect(() => setOffset(0), [storeName]);

  useEffect(() => {
    if (!graphId) return;
    let cancelled = false;
    setState((s) => (s.status === "ready" ? s : { status: "loading" }));
    api.stores.preview
      .query({ graphId, storeName, offset, limit: PREVIEW_PAGE_SIZE })
      .then((preview) => !cancelled && setState({ status: "ready", preview }))
      .catch((error: unknown) => !cancelled && setState({ status: "error", message: describeError(error, `read the store "${storeName}"`) }));
    return () => {
      cancelled = true;
    };
  }, [graphId, storeName, offset, dataVersion]);

  if (state.status === "loading") return <p className="muted pad">Loading “{storeName}”…</p>;
  if (state.status === "error") return <p className="error-text pad" role="alert">{state.message}</p>;
  const { preview } = state;
  if (!preview.exists) {
    return <p className="muted pad" data-testid="store-empty">The {node.kind} “{storeName}” has no data yet. Run a node that writes it.</p>;
  }
  const hasPrevious = offset > 0;
  const hasNext = offset + preview.rows.length < (preview.total ?? 0);
  return (
    <div className="store-preview" data-testid="store-preview">
      <div className="preview-toolbar">
        <span className="preview-count" data-testid="row-range">{rowRangeLabel(offset, preview.rows.length, preview.total ?? 0)}</span>
        <span className="preview-pager">
          <button type="button" className="button small" disabled={!hasPrevious} onClick={() => setOffset(Math.max(0, offset - PREVIEW_PAGE_SIZE))}>
            Previous
          </button>
          <button type="button" className="button small" disabled={!hasNext} onClick={() => setOffset(offset + PREVIEW_PAGE_SIZE)}>
            Next
          </button>
        </span>
      </div>
      <div className="preview-scroll">
        <table className="preview-table" data-testid="preview-table">
          <thead>
            <tr>
              {preview.columns.map((column) => (
                <th key={column.name}>
                  <span className="column-name">{column.name}</span>
                  <span className="column-type">{column.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, index) => (
              <tr key={offset + index}>
                {preview.columns.map((column) => (
                  <td key={column.name}>{formatCell(row[column.name])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
