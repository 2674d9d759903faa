import { isFunctionKind, isStoreKind, type GraphNode } from "@patchbay/graph";
import "./run-data.css";
import { selectedNode, useEditorStore } from "./editor-store.ts";
import { LogPanel } from "./log-panel.tsx";
import { RunHistory } from "./run-history.tsx";
import { StorePreview } from "./store-preview.tsx";
import { showBottomTab, storesOfNode, tabsFor, type BottomTab } from "./bottom-panel-view.ts";
import { useRunShortcuts } from "./run-shortcuts.ts";

const TAB_LABELS: Record<BottomTab, string> = { logs: "Logs", history: "Run history", data: "Data" };

/** The Data tab of a node with ports: the rows of one of its stores, picked from its outputs and inputs. */
function NodeData({ node }: { node: GraphNode }) {
  const doc = useEditorStore((s) => s.document);
  const chosen = useEditorStore((s) => s.bottomPanel.storeName);
  if (!doc) return null;
  const stores = storesOfNode(doc, node);
  if (stores.length === 0) {
    return <p className="muted pad">“{node.title}” is not connected to any Table or Stream yet. Connect a port to a store to see its rows here.</p>;
  }
  const storeName = stores.some((s) => s.name === chosen) ? (chosen ?? "") : (stores[0]?.name ?? "");
  return (
    <div className="node-data">
      {stores.length > 1 ? (
        <div className="store-tabs" role="tablist" aria-label="Stores of this node">
          {stores.map((store) => (
            <button
              key={store.name}
              type="button"
              role="tab"
              aria-selected={store.name === storeName}
              className={`store-tab${store.name === storeName ? " is-active" : ""}`}
              data-testid={`store-tab-${store.name}`}
              onClick={() => useEditorStore.setState((s) => ({ bottomPanel: { ...s.bottomPanel, storeName: store.name } }))}
            >
              {store.direction === "output" ? "→ " : "← "}
              {store.name}
            </button>
          ))}
        </div>
      ) : null}
      <div className="node-data-grid">
        <StorePreview storeName={storeName} />
      </div>
    </div>
  );
}

function TabBody({ node, tab }: { node: GraphNode; tab: BottomTab }) {
  if (tab === "logs") return <LogPanel node={node} />;
  if (tab === "history") return <RunHistory key={node.id} node={node} />;
  if (isStoreKind(node.kind)) return <StorePreview storeName={node.title} />;
  return <NodeData node={node} />;
}

export function BottomPanel() {
  useRunShortcuts();
  const node = useEditorStore(selectedNode);
  const asked = useEditorStore((s) => s.bottomPanel.tab);
  const tabs = node ? tabsFor(node) : [];
  if (!node || tabs.length === 0) {
    return (
      <section className="bottom-panel" data-testid="bottom-panel" aria-label="Output">
        <h2 className="panel-heading">Output</h2>
        <div className="bottom-panel-body">
          <p className="muted pad">Select a node to see its logs, run history and data, or a Table or Stream to see its rows.</p>
        </div>
      </section>
    );
  }
  const tab = tabs.includes(asked) ? asked : (tabs[0] ?? "data");
  return (
    <section className="bottom-panel" data-testid="bottom-panel" aria-label={`${TAB_LABELS[tab]} · ${node.title}`} data-tab={tab}>
      <div className="bottom-tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={t === tab}
            className={`bottom-tab${t === tab ? " is-active" : ""}`}
            data-testid={`tab-${t}`}
            onClick={() => showBottomTab(t)}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
        <span className="bottom-tabs-title muted small">{node.title}{isFunctionKind(node.kind) ? "" : ` · ${node.kind}`}</span>
      </div>
      <div className="bottom-panel-body">
        <TabBody node={node} tab={tab} />
      </div>
    </section>
  );
}
