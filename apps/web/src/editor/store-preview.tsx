import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { useEditorStore } from "./editor-store.ts";
import { DataGrid } from "./data-grid.tsx";

type Version = Awaited<ReturnType<typeof api.stores.versions.query>>[number];

function formatCreated(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { hour12: false });
}

/** Picks which version of the store to show; the active one unless the person chooses another. */
function VersionPicker({ graphId, storeName, refreshKey, value, onChange }: { graphId: string; storeName: string; refreshKey: number; value: string | undefined; onChange: (id: string | undefined) => void }) {
  const [versions, setVersions] = useState<Version[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.stores.versions
      .query({ graphId, storeName })
      .then((list) => {
        if (cancelled) return;
        setVersions(list);
        setError(null);
      })
      .catch((failure: unknown) => !cancelled && setError(describeError(failure, "list the store's versions")));
    return () => {
      cancelled = true;
    };
  }, [graphId, storeName, refreshKey]);
  if (error) return <span className="error-text small">{error}</span>;
  if (versions.length === 0) return null;
  return (
    <label className="version-picker">
      <span className="muted small">Version</span>
      <select data-testid="version-picker" value={value ?? ""} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">Active (latest)</option>
        {versions.map((v, index) => (
          <option key={v.id} value={v.id} disabled={v.rows === null}>
            {`#${versions.length - index} · ${formatCreated(v.createdAt)} · ${v.rows === null ? "dropped" : `${v.rows.toLocaleString()} rows`}${v.active ? " · active" : ""}`}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The rows of one store, in the bottom panel: a virtualized grid with its versions. */
export function StorePreview({ storeName }: { storeName: string }) {
  const graphId = useEditorStore((s) => s.graphId);
  const dataVersion = useEditorStore((s) => s.dataVersion);
  const [versionId, setVersionId] = useState<string | undefined>(undefined);
  useEffect(() => setVersionId(undefined), [storeName]);
  if (!graphId) return null;
  return (
    <DataGrid
      key={storeName}
      graphId={graphId}
      storeName={storeName}
      versionId={versionId}
      refreshKey={dataVersion}
      toolbar={<VersionPicker graphId={graphId} storeName={storeName} refreshKey={dataVersion} value={versionId} onChange={setVersionId} />}
    />
  );
}
