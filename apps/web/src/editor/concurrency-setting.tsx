import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { describeError } from "../api/describe-error.ts";
import { showNotice, useEditorStore } from "./editor-store.ts";

const MAX_PARALLEL = 64;

/**
 * How many of this graph's nodes may run at once on the server (empty: as
 * many as there are workers). Saved when the field is left.
 */
export function ConcurrencySetting() {
  const graphId = useEditorStore((s) => s.graphId);
  const readOnly = useEditorStore((s) => s.viewing !== null);
  const [value, setValue] = useState("");
  const [saved, setSaved] = useState("");

  useEffect(() => {
    if (!graphId) return;
    let cancelled = false;
    api.graphs.concurrency.query({ id: graphId }).then(
      ({ concurrency }) => {
        if (cancelled) return;
        const text = concurrency === null ? "" : String(concurrency);
        setValue(text);
        setSaved(text);
      },
      (error: unknown) => showNotice(describeError(error, "read how many nodes may run at once")),
    );
    return () => {
      cancelled = true;
    };
  }, [graphId]);

  const save = () => {
    if (!graphId || value.trim() === saved) return;
    const text = value.trim();
    const limit = text === "" ? null : Number(text);
    if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_PARALLEL)) {
      showNotice(`"Parallel nodes" takes a whole number from 1 to ${MAX_PARALLEL}, or nothing for no limit.`);
      setValue(saved);
      return;
    }
    api.graphs.setConcurrency.mutate({ id: graphId, concurrency: limit }).then(
      () => setSaved(text),
      (error: unknown) => {
        showNotice(describeError(error, "save how many nodes may run at once"));
        setValue(saved);
      },
    );
  };

  return (
    <label className="concurrency-setting" title="How many of this graph's nodes may run on the server at once; empty for no limit">
      <span>Parallel nodes</span>
      <input
        type="number"
        min={1}
        max={MAX_PARALLEL}
        placeholder="any"
        value={value}
        disabled={readOnly}
        data-testid="concurrency-setting"
        onChange={(event) => setValue(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === "Enter") event.currentTarget.blur();
        }}
      />
    </label>
  );
}
