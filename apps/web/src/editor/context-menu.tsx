import { useEffect, useRef } from "react";
import { useReactFlow } from "@xyflow/react";
import { openContextMenu, useEditorStore, type ContextMenuState } from "./editor-store.ts";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { shortcutLabel, type ActionContext } from "./actions/editor-action.ts";
import { editorActions } from "./actions/registry.ts";
import { runAction, systemClipboard } from "./actions/use-editor-shortcuts.ts";

/** The right-click menu of a node or of the canvas, listing the registry's actions for it. */
export function ContextMenu() {
  const menu = useEditorStore((s) => s.contextMenu);
  return menu ? <OpenMenu menu={menu} /> : null;
}

function OpenMenu({ menu }: { menu: ContextMenuState }) {
  const state = useEditorStore();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !ref.current?.contains(event.target instanceof Node ? event.target : null)) openContextMenu(null);
    };
    window.addEventListener("pointerdown", close, true);
    window.addEventListener("keydown", close);
    return () => {
      window.removeEventListener("pointerdown", close, true);
      window.removeEventListener("keydown", close);
    };
  }, [menu]);

  const context: ActionContext = { flow, nodeId: menu.nodeId, position: menu.flowPosition, clipboard: systemClipboard };
  const which = menu.nodeId ? "node" : "canvas";
  const actions = editorActions.filter((a) => a.menus?.includes(which));
  return (
    <div ref={ref} className="context-menu" role="menu" data-testid="context-menu" style={{ left: menu.x, top: menu.y }} onContextMenu={(e) => e.preventDefault()}>
      {actions.map((action) => {
        const enabled = action.enabled(state, context);
        const shortcut = action.shortcuts?.[0];
        return (
          <button
            key={action.id}
            type="button"
            role="menuitem"
            className="context-menu-item"
            data-action={action.id}
            disabled={!enabled}
            onClick={() => {
              openContextMenu(null);
              runAction(action, context);
            }}
          >
            <span>{action.title}</span>
            {shortcut ? <kbd className="shortcut">{shortcutLabel(shortcut)}</kbd> : null}
          </button>
        );
      })}
    </div>
  );
}
