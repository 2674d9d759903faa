/**
 * Below this zoom node text is too small to read: React Flow draws only the selected nodes and
 * the pictures, the node sketch the others (culled-nodes.ts, node-sketch.tsx).
 */
export const LOW_DETAIL_ZOOM = 0.45;

/**
 * How "fit view" frames the graph. Zoomed out, most nodes are hidden from React Flow
 * (useCulledNodes) but are part of the graph all the same.
 */
export const FIT_VIEW = { maxZoom: 1, padding: 0.2, includeHiddenNodes: true };
