import { PALETTE_KINDS, PALETTE_LABELS, type PaletteKind } from "./new-node.ts";

/** The drag payload type; the canvas only accepts drops that carry it. */
export const PALETTE_MIME = "application/x-patchbay-node-kind";

const HINTS: Record<PaletteKind, string> = {
  python: "Python code with Table and Stream ports",
  sql: "A SELECT that writes a table",
  table: "A store of rows",
  stream: "An append-only log of records",
  webhook: "A URL whose POSTed JSON becomes rows",
  chart: "A Vega-Lite chart of a table",
  markdown: "Notes on the canvas",
};

export function Palette() {
  return (
    <aside className="palette" aria-label="Node palette">
      <h2 className="panel-heading">Add a node</h2>
      <p className="muted small">Drag onto the canvas.</p>
      {PALETTE_KINDS.map((kind) => (
        <div
          key={kind}
          className={`palette-item kind-${kind}`}
          data-testid={`palette-${kind}`}
          draggable
          title={HINTS[kind]}
          onDragStart={(event) => {
            event.dataTransfer.setData(PALETTE_MIME, kind);
            event.dataTransfer.effectAllowed = "copy";
          }}
        >
          <span className="palette-swatch" aria-hidden="true" />
          <span>
            <span className="palette-label">{PALETTE_LABELS[kind]}</span>
            <span className="palette-hint">{HINTS[kind]}</span>
          </span>
        </div>
      ))}
    </aside>
  );
}
