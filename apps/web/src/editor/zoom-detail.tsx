import { createContext, useContext, useEffect } from "react";
import { useStore } from "@xyflow/react";

/** Below this zoom node text is too small to read; it is not drawn (see run-data.css). */
export const LOW_DETAIL_ZOOM = 0.45;

/**
 * Whether the canvas is zoomed out below LOW_DETAIL_ZOOM, for the nodes: provided once by the
 * canvas, so a node does not subscribe to the viewport (each subscriber runs on every pan frame).
 */
export const ZoomedOutContext = createContext(false);

export function useZoomedOut(): boolean {
  return useContext(ZoomedOutContext);
}

/**
 * Marks the canvas "zoomed-out" while the zoom is below LOW_DETAIL_ZOOM, so the nodes skip
 * painting labels nobody can read. One subscriber and a class, not a re-render of every node.
 */
export function ZoomDetail() {
  const zoomedOut = useStore((s) => s.transform[2] < LOW_DETAIL_ZOOM);
  const root = useStore((s) => s.domNode);
  useEffect(() => {
    root?.classList.toggle("zoomed-out", zoomedOut);
  }, [root, zoomedOut]);
  return null;
}
