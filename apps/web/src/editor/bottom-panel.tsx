import { isFunctionKind, isStoreKind } from "@patchbay/graph";
import { selectedNode, useEditorStore } from "./editor-store.ts";
import { LogPanel } from "./log-panel.tsx";
import { StorePreview } from "./store-preview.tsx";

export function BottomPanel() {
  const node = useEditorStore(selectedNode);
  let heading = "Output";
  let body = <p className="muted pad">Select a node to see its latest run, or a table to see its rows.</p>;
  if (node && isFunctionKind(node.kind)) {
    heading = `Logs · ${node.title}`;
    body = <LogPanel node={node} />;
  } else if (node && isStoreKind(node.kind)) {
    heading = `Rows · ${node.title}`;
    body = <StorePreview key={node.id} node={node} />;
  }
  return (
    <section className="bottom-panel" data-testid="bottom-panel" aria-label={heading}>
      <h2 className="panel-heading">{heading}</h2>
      <div className="bottom-panel-body">{body}</div>
    </section>
  );
}
