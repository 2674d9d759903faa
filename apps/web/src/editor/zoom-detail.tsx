import { createContext, useContext } from "react";

/** Below this zoom node text is too small to read; it is not drawn (see run-data.css). */
export const LOW_DETAIL_ZOOM = 0.45;

/**
 * Whether the canvas is zoomed out below LOW_DETAIL_ZOOM, for the nodes: provided once by the
 * canvas (which also marks itself "zoomed-out" for run-data.css), so a node does not subscribe
 * to the viewport (each subscriber runs on every pan frame).
 */
export const ZoomedOutContext = createContext(false);

export function useZoomedOut(): boolean {
  return useContext(ZoomedOutContext);
}
