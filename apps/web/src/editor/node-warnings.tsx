import { useEditorStore } from "./editor-store.ts";

/** A ⚠ badge on a node the graph warns about; the warnings show as its tooltip. */
export function NodeWarnings({ nodeId }: { nodeId: string }) {
  const warnings = useEditorStore((s) => s.nodeWarnings[nodeId]);
  if (!warnings || warnings.length === 0) return null;
  const text = warnings.map((w) => w.message).join("\n");
  return (
    <span className="node-warning-badge" data-testid="node-warning" data-codes={warnings.map((w) => w.code).join(" ")} title={text} aria-label={`Warning: ${text}`}>
      ⚠ {warnings.length > 1 ? warnings.length : null}
    </span>
  );
}
