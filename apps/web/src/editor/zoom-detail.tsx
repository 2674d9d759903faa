/** Below this zoom node text is too small to read; it is not drawn (see run-data.css). */
export const LOW_DETAIL_ZOOM = 0.45;

/**
 * How "fit view" frames the graph. Zoomed out, the nodes out of view are hidden from React
 * Flow (useCulledNodes) but are part of the graph all the same.
 */
export const FIT_VIEW = { maxZoom: 1, padding: 0.2, includeHiddenNodes: true };
