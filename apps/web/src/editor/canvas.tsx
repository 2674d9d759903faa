import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent, type RefObject } from "react";
import {
  ControlButton,
  Controls,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type FinalConnectionState,
  type OnSelectionChangeParams,
  type Viewport,
} from "@xyflow/react";
import { isFunctionKind, type Position } from "@patchbay/graph";
import {
  addNodeAt,
  onConnect,
  onEdgesChange,
  onNodesDragStop,
  onSelectionChange,
  openContextMenu,
  toggleSnapToGrid,
  useEditorStore,
} from "./editor-store.ts";
import { nodeTypes } from "./graph-nodes.tsx";
import { FIT_VIEW, LOW_DETAIL_ZOOM, MAX_ZOOM, MIN_ZOOM, viewToFit } from "./zoom-detail.tsx";
import { GraphBackdrop } from "./graph-backdrop.tsx";
import { EdgeSketch } from "./edge-sketch.tsx";
import { NodeSketch } from "./node-sketch.tsx";
import { useCulledNodes } from "./culled-nodes.ts";
import { CanvasDots, GAP } from "./canvas-dots.tsx";
import { useDragFrames } from "./drag-frames.ts";
import { CanvasMiniMap } from "./mini-map.tsx";
import { edgeTypes } from "./port-edge.tsx";
import { isPaletteKind } from "./new-node.ts";
import { PALETTE_MIME } from "./palette.tsx";
import { onlyMeasurementsChanged, parsePortHandleId, type FlowEdge, type FlowNode } from "./flow-mapping.ts";
import { useEditorShortcuts } from "./actions/use-editor-shortcuts.ts";
import { ContextMenu } from "./context-menu.tsx";
import { CommandPalette } from "./command-palette.tsx";
import { NewStoreOffer, type StoreOffer } from "./new-store-offer.tsx";

const SNAP_GRID: [number, number] = [GAP, GAP];
const NO_EDGES: FlowEdge[] = [];
// Shift+click adds to the selection (as do Ctrl and ⌘); Shift+drag on the canvas draws a selection box.
const MULTI_SELECT_KEYS = ["Shift", "Meta", "Control"];

function handleSelectionChange({ nodes }: OnSelectionChangeParams) {
  onSelectionChange(nodes);
}

function handleNodeDragStop(_event: unknown, _node: unknown, dragged: FlowNode[]) {
  onNodesDragStop(dragged);
}

// Sizes React Flow measured reach its own copy of the nodes (the minimap draws them) once this quiet.
const MEASUREMENTS_DELAY_MS = 300;

/**
 * The editor's nodes for React Flow. Sizes it measured itself (nodes scrolling into view while
 * the canvas is panned) are handed back to it only after a quiet moment, in one batch; every
 * other change at once. See onlyMeasurementsChanged.
 */
function useCanvasNodes(): FlowNode[] {
  const shown = useRef<FlowNode[]>([]);
  const [, catchUp] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = useEditorStore.subscribe((state, previous) => {
      if (state.flowNodes === previous.flowNodes) return;
      clearTimeout(timer);
      if (state.flowNodes === shown.current) return;
      timer = setTimeout(() => {
        shown.current = useEditorStore.getState().flowNodes;
        catchUp();
      }, MEASUREMENTS_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  return useEditorStore((s) => {
    if (s.flowNodes !== shown.current && !onlyMeasurementsChanged(shown.current, s.flowNodes)) shown.current = s.flowNodes;
    return shown.current;
  });
}

/** How the canvas opens a graph: at `view`, or fitted by React Flow once it has measured the nodes. */
interface OpeningView {
  view: Viewport | undefined;
  fit: boolean;
}

/**
 * The view the graph opens at, worked out before React Flow first draws (null until then).
 * A graph that fits only zoomed out opens there straight away, its nodes sketched
 * (useCulledNodes): React Flow would otherwise draw every node once to measure it before its
 * own fit view, and a big graph's first frame would mount them all (bench:canvas,
 * docs/benchmarks.md). Others open fitted by React Flow, with the sizes it measured; an empty
 * graph where it is, so a first node dropped stays where it was dropped.
 */
function useOpeningView(canvasRef: RefObject<HTMLDivElement | null>, nodes: readonly FlowNode[]): OpeningView | null {
  const flow = useStoreApi<FlowNode, FlowEdge>();
  const [opening, setOpening] = useState<OpeningView | null>(null);
  const firstNodes = useRef(nodes);
  useLayoutEffect(() => {
    const width = canvasRef.current?.clientWidth ?? 0;
    const height = canvasRef.current?.clientHeight ?? 0;
    const view = viewToFit(firstNodes.current, width, height);
    if (view && view.zoom < LOW_DETAIL_ZOOM) {
      // React Flow's own size and view, as they will be once it has mounted: the culling
      // reads them on the first render.
      flow.setState({ transform: [view.x, view.y, view.zoom], width, height });
      setOpening({ view, fit: false });
    } else {
      // (A canvas with no size yet gets React Flow's fit view too, once it has one.)
      setOpening({ view: undefined, fit: firstNodes.current.length > 0 });
    }
  }, [canvasRef, flow]);
  return opening;
}

export function Canvas() {
  const canvasNodes = useCanvasNodes();
  const edges = useEditorStore((s) => s.flowEdges);
  const snapToGrid = useEditorStore((s) => s.snapToGrid);
  const readOnly = useEditorStore((s) => s.viewing !== null);
  const { screenToFlowPosition } = useReactFlow<FlowNode, FlowEdge>();
  const zoomedOut = useStore((s) => s.transform[2] < LOW_DETAIL_ZOOM);
  // A drag's frames go to React Flow only; if the canvas renders mid-drag, its positions are laid over the editor's.
  const { nodes: dragged, onNodesChange } = useDragFrames(canvasNodes);
  // Zoomed out, React Flow draws the selected nodes and the pictures in view when the view last
  // stood still, NodeSketch the others (and answers the pointer on them).
  const { shown: nodes, settle } = useCulledNodes(dragged, zoomedOut);
  // Zoomed out, React Flow gets no edges (each would subscribe to its store, even hidden)
  // and EdgeSketch draws them all at once.
  const drawnEdges = zoomedOut ? NO_EDGES : edges;
  const [storeOffer, setStoreOffer] = useState<StoreOffer | null>(null);
  // Marks the canvas while the view pans or zooms (run-data.css: no hit tests per mouse move),
  // until the move ends or, should no end come, the view has been still for a moment.
  const canvasRef = useRef<HTMLDivElement>(null);
  const stillTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const onMoveEnd = useCallback(() => {
    clearTimeout(stillTimer.current);
    canvasRef.current?.classList.remove("view-moving");
    settle();
  }, [settle]);
  const onMove = useCallback(() => {
    canvasRef.current?.classList.add("view-moving");
    clearTimeout(stillTimer.current);
    stillTimer.current = setTimeout(onMoveEnd, 200);
  }, [onMoveEnd]);
  const opening = useOpeningView(canvasRef, canvasNodes);
  useEditorShortcuts();

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!isPaletteKind(kind)) return;
      event.preventDefault();
      addNodeAt(kind, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [screenToFlowPosition],
  );

  const menuAt = useCallback(
    (event: ReactMouseEvent | MouseEvent, nodeId: string | null) => {
      event.preventDefault();
      const flowPosition: Position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      openContextMenu({ x: event.clientX, y: event.clientY, nodeId, flowPosition });
    },
    [screenToFlowPosition],
  );

  // Stable handlers: React Flow copies every changed prop into its store, which updates all its subscribers.
  const onNodeContextMenu = useCallback((event: ReactMouseEvent, node: FlowNode) => menuAt(event, node.id), [menuAt]);
  const onSelectionContextMenu = useCallback((event: ReactMouseEvent, selected: FlowNode[]) => menuAt(event, selected[selected.length - 1]?.id ?? null), [menuAt]);
  const onPaneContextMenu = useCallback((event: ReactMouseEvent | MouseEvent) => menuAt(event, null), [menuAt]);

  // An output port dropped on empty canvas: offer a store named after the port, bound to it.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      if (connection.isValid || connection.toNode || !connection.fromNode || connection.fromHandle?.type !== "source") return;
      const port = parsePortHandleId(connection.fromHandle.id);
      const doc = useEditorStore.getState().document;
      const writer = doc?.nodes.find((n) => n.id === connection.fromNode?.id);
      if (!port || port.direction !== "output" || !writer || !isFunctionKind(writer.kind)) return;
      const point = "changedTouches" in event ? event.changedTouches[0] : event;
      if (!point) return;
      const drawn = useEditorStore.getState().flowNodes.find((n) => n.id === writer.id);
      const kind = drawn?.type === "function" ? (drawn.data.outputs.find((p) => p.name === port.port)?.kind ?? "table") : "table";
      setStoreOffer({ nodeId: writer.id, port: port.port, kind, screen: { x: point.clientX, y: point.clientY }, flow: screenToFlowPosition({ x: point.clientX, y: point.clientY }) });
    },
    [screenToFlowPosition],
  );

  return (
    <div ref={canvasRef} className={`canvas${readOnly ? " read-only" : ""}`} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      {opening ? (
        <ReactFlow<FlowNode, FlowEdge>
          // Zoomed out, labels nobody can read are not painted (run-data.css).
          className={zoomedOut ? "zoomed-out" : undefined}
          nodes={nodes}
          edges={drawnEdges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          onNodeDragStop={handleNodeDragStop}
          onSelectionChange={handleSelectionChange}
          onNodeContextMenu={onNodeContextMenu}
          onSelectionContextMenu={onSelectionContextMenu}
          onPaneContextMenu={onPaneContextMenu}
          onMove={onMove}
          onMoveEnd={onMoveEnd}
          // Delete goes through the action registry (one undo step for the whole selection).
          deleteKeyCode={null}
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          selectionKeyCode="Shift"
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          snapToGrid={snapToGrid}
          snapGrid={SNAP_GRID}
          defaultViewport={opening.view}
          fitView={opening.fit}
          fitViewOptions={FIT_VIEW}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          // Big graphs: draw only what is in view (bench:canvas, docs/benchmarks.md). Zoomed
          // out too, where useCulledNodes hides all but the selected nodes and pictures that
          // were in view when the view last stood still (no node is mounted while the view
          // pans): without this React Flow keeps one NodeWrapper per node, hidden or not, each
          // subscribed to its store.
          onlyRenderVisibleElements
        >
          <CanvasDots color="#d9dde3" />
          <GraphBackdrop />
          {zoomedOut ? <EdgeSketch edges={edges} /> : null}
          {zoomedOut ? <NodeSketch openMenu={menuAt} /> : null}
          <CanvasMiniMap />
          <Controls showInteractive={false} fitViewOptions={FIT_VIEW}>
            <ControlButton
              onClick={toggleSnapToGrid}
              title={snapToGrid ? "Snap to grid: on (click to turn off)" : "Snap to grid: off (click to turn on)"}
              aria-pressed={snapToGrid}
              data-testid="snap-toggle"
              className={snapToGrid ? "is-on" : ""}
            >
              #
            </ControlButton>
          </Controls>
        </ReactFlow>
      ) : null}
      <ContextMenu />
      <CommandPalette />
      {storeOffer ? <NewStoreOffer offer={storeOffer} onClose={() => setStoreOffer(null)} /> : null}
    </div>
  );
}
