import { useEffect } from "react";
import { isStoreKind, type Position, type StoreKind } from "@patchbay/graph";
import { applyChanges, selectNodes, useEditorStore } from "./editor-store.ts";
import { createNode } from "./new-node.ts";

/** An output port dropped on empty canvas, and where. */
export interface StoreOffer {
  nodeId: string;
  port: string;
  kind: StoreKind;
  screen: Position;
  flow: Position;
}

/**
 * Offers the store an output port was dragged out for: a Table or Stream named after the
 * port, created where it was dropped and bound to the port, as one undo step; or, when the
 * graph already has a store of that name, a connection to it.
 */
export function NewStoreOffer({ offer, onClose }: { offer: StoreOffer; onClose: () => void }) {
  const existing = useEditorStore((s) => s.document?.nodes.find((n) => isStoreKind(n.kind) && n.title === offer.port));

  useEffect(() => {
    const close = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [onClose]);

  const create = (kind: StoreKind) => {
    const doc = useEditorStore.getState().document;
    if (!doc) return;
    const store = { ...createNode(doc, kind, { x: offer.flow.x, y: offer.flow.y - 20 }), title: offer.port };
    const done = applyChanges([
      { type: "addNode", node: store },
      { type: "bindPort", nodeId: offer.nodeId, direction: "output", port: offer.port, storeId: store.id },
    ]);
    if (done) selectNodes([store.id]);
    onClose();
  };

  const connect = (storeId: string) => {
    applyChanges([{ type: "bindPort", nodeId: offer.nodeId, direction: "output", port: offer.port, storeId }]);
    onClose();
  };

  const label = offer.kind === "table" ? "Table" : "Stream";
  return (
    <div className="store-offer" role="dialog" aria-label="Create a store for this port" data-testid="store-offer" style={{ left: offer.screen.x, top: offer.screen.y }}>
      <p className="store-offer-text">
        Output <code>{offer.port}</code> writes nowhere yet.
      </p>
      {existing ? (
        <button type="button" className="button primary small" data-testid="store-offer-connect" onClick={() => connect(existing.id)}>
          Connect to {existing.kind} “{existing.title}”
        </button>
      ) : (
        <button type="button" className="button primary small" data-testid="store-offer-create" onClick={() => create(offer.kind)}>
          Create {label} “{offer.port}”
        </button>
      )}
      <button type="button" className="button small" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}
