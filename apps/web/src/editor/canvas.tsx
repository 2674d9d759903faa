import { useCallback, useState, type DragEvent } from "react";
import { Background, Controls, ReactFlow, useReactFlow, type OnSelectionChangeParams } from "@xyflow/react";
import {
  addNodeAt,
  deleteElements,
  onConnect,
  onEdgesChange,
  onNodesChange,
  onNodesDragStop,
  onSelectionChange,
  useEditorStore,
} from "./editor-store.ts";
import { nodeTypes } from "./graph-nodes.tsx";
import { isPaletteKind } from "./new-node.ts";
import { PALETTE_MIME } from "./palette.tsx";
import type { FlowEdge, FlowNode } from "./flow-mapping.ts";

const DELETE_KEYS = ["Delete", "Backspace"];

function handleSelectionChange({ nodes }: OnSelectionChangeParams) {
  onSelectionChange(nodes);
}

export function Canvas() {
  const nodes = useEditorStore((s) => s.flowNodes);
  const edges = useEditorStore((s) => s.flowEdges);
  const { screenToFlowPosition } = useReactFlow<FlowNode, FlowEdge>();
  // Fit the graph into view when it opens, but not when the first node of an empty graph
  // appears: a dropped node must stay where it was dropped.
  const [fitOnOpen] = useState(() => nodes.length > 0);

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

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStop={(_event, _node, dragged) => onNodesDragStop(dragged)}
        onDelete={({ nodes: removedNodes, edges: removedEdges }) => deleteElements(removedNodes, removedEdges)}
        onSelectionChange={handleSelectionChange}
        deleteKeyCode={DELETE_KEYS}
        fitView={fitOnOpen}
        fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
        minZoom={0.2}
        maxZoom={2}
        defaultEdgeOptions={{ type: "smoothstep" }}
      >
        <Background gap={20} size={1} color="#d9dde3" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
