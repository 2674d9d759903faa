import { useEffect, useRef, useState } from "react";
import { useReactFlow } from "@xyflow/react";
import { selectNodes, setCommandPaletteOpen, useEditorStore } from "./editor-store.ts";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";
import { shortcutLabel, type ActionContext, type EditorAction } from "./actions/editor-action.ts";
import { editorActions } from "./actions/registry.ts";
import { runAction, systemClipboard } from "./actions/use-editor-shortcuts.ts";
import { nodeSize } from "./canvas-drawing.tsx";

type Item = { type: "node"; id: string; title: string; kind: string } | { type: "action"; action: EditorAction };

/** Every word of the query appears in the text, in any order. */
function matches(query: string, text: string): boolean {
  const haystack = text.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** Ctrl+K: find a node by title (selects and centres it) or run any enabled command. */
export function CommandPalette() {
  const open = useEditorStore((s) => s.commandPaletteOpen);
  if (!open) return null;
  return <PaletteDialog />;
}

function PaletteDialog() {
  const state = useEditorStore();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const context: ActionContext = { flow, clipboard: systemClipboard };

  useEffect(() => input.current?.focus(), []);

  const doc = state.viewing?.document ?? state.document;
  const items = ((): Item[] => {
    const nodes: Item[] = (doc?.nodes ?? []).filter((n) => matches(query, n.title)).map((n) => ({ type: "node", id: n.id, title: n.title, kind: n.kind }));
    const actions: Item[] = editorActions
      .filter((a) => a.id !== "command-palette" && matches(query, `${a.title} ${a.keywords ?? ""}`) && a.enabled(state, context))
      .map((action) => ({ type: "action", action }));
    // With a query, nodes first (finding a node is the common case); without one, commands.
    return query.trim() ? [...nodes, ...actions] : [...actions, ...nodes];
  })();

  const choose = (item: Item | undefined) => {
    if (!item) return;
    setCommandPaletteOpen(false);
    if (item.type === "action") {
      runAction(item.action, context);
      return;
    }
    selectNodes([item.id]);
    const node = flow.getNode(item.id);
    if (node) {
      const { width, height } = nodeSize(node);
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: Math.max(flow.getZoom(), 0.8), duration: 200 });
    }
  };

  return (
    <div className="palette-backdrop" onPointerDown={(e) => e.target === e.currentTarget && setCommandPaletteOpen(false)}>
      <div className="command-palette" role="dialog" aria-label="Command palette" data-testid="command-palette">
        <input
          ref={input}
          className="command-input"
          data-testid="command-input"
          placeholder="Find a node or run a command…"
          value={query}
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") setCommandPaletteOpen(false);
            else if (e.key === "ArrowDown") setActive((i) => Math.min(i + 1, items.length - 1));
            else if (e.key === "ArrowUp") setActive((i) => Math.max(i - 1, 0));
            else if (e.key === "Enter") choose(items[active]);
            else return;
            e.preventDefault();
          }}
        />
        <ul className="command-list" role="listbox">
          {items.length === 0 ? <li className="command-empty muted">Nothing matches “{query}”.</li> : null}
          {items.slice(0, 50).map((item, index) => (
            <li
              key={item.type === "node" ? `node:${item.id}` : item.action.id}
              role="option"
              aria-selected={index === active}
              className={`command-item${index === active ? " active" : ""}`}
              data-testid="command-item"
              data-item={item.type === "node" ? `node:${item.title}` : item.action.id}
              onPointerEnter={() => setActive(index)}
              onClick={() => choose(item)}
            >
              {item.type === "node" ? (
                <>
                  <span className="command-kind">{item.kind}</span>
                  <span>{item.title}</span>
                </>
              ) : (
                <>
                  <span>{item.action.title}</span>
                  {item.action.shortcuts?.[0] ? <kbd className="shortcut">{shortcutLabel(item.action.shortcuts[0])}</kbd> : null}
                </>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
