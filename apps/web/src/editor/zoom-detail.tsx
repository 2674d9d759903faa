import { createContext, useContext } from "react";

/** Below this zoom node text is too small to read; it is not drawn (see run-data.css). */
export const LOW_DETAIL_ZOOM = 0.45;

/**
 * How "fit view" frames the graph. Zoomed out, the nodes out of view are hidden from React
 * Flow (useCulledNodes) but are part of the graph all the same.
 */
export const FIT_VIEW = { maxZoom: 1, padding: 0.2, includeHiddenNodes: true };

/**
 * Whether the canvas is zoomed out below LOW_DETAIL_ZOOM, for the nodes: provided once by the
 * canvas (which also marks itself "zoomed-out" for run-data.css), so a node does not subscribe
 * to the viewport (each subscriber runs on every pan frame).
 */
export const ZoomedOutContext = createContext(false);

export function useZoomedOut(): boolean {
  return useContext(ZoomedOutContext);
}
