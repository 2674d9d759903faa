import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import type { FlowEdge } from "./flow-mapping.ts";

/** A port binding: React Flow's smooth-step edge, with a ⚠ badge (its warning as a tooltip) when the graph warns about it. */
export function PortEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, data }: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} {...(style ? { style } : {})} />
      {data?.warning ? (
        <EdgeLabelRenderer>
          <div
            className="edge-warning-badge nodrag nopan"
            data-testid="edge-warning"
            title={data.warning}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            ⚠
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const edgeTypes = { port: PortEdge };
