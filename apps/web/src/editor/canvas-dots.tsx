import { useId, useLayoutEffect, useRef } from "react";
import { useStore, useStoreApi } from "@xyflow/react";

// Flow pixels between dots (the snap grid's, so a snapped node's corner sits on a dot), and a dot's diameter.
export const GAP = 20;
const DOT = 1;

/** `value` modulo `m`, in [0, m) for negative values too. */
function mod(value: number, m: number): number {
  return ((value % m) + m) % m;
}

/**
 * The canvas's dot grid. React Flow's Background moves its dots by changing the pattern's
 * offset on every pan frame, which repaints and rasters the whole canvas each frame (with
 * software raster, most of what a pan costs the machine: bench:canvas, docs/benchmarks.md).
 * Here the dots are one picture a gap larger than the canvas each way, on a layer of its own
 * that a pan only shifts (a transform, by the pan modulo the gap): drawn again only when the
 * zoom changes the gap.
 */
export function CanvasDots({ color }: { color: string }) {
  const flow = useStoreApi();
  const zoom = useStore((s) => s.transform[2]);
  const layer = useRef<SVGSVGElement>(null);
  const patternId = `canvas-dots-${useId()}`;
  const gap = GAP * zoom;
  const radius = (DOT * zoom) / 2;

  useLayoutEffect(() => {
    let placed = "";
    const place = () => {
      const [x, y] = flow.getState().transform;
      const transform = `translate(${mod(x, gap) - gap}px, ${mod(y, gap) - gap}px)`;
      // The store changes for much else (a drag, a selection): the style is touched only when the dots move.
      if (layer.current && transform !== placed) layer.current.style.transform = placed = transform;
    };
    place();
    return flow.subscribe(place);
  }, [flow, gap]);

  return (
    <div className="canvas-dots" aria-hidden="true">
      <svg ref={layer} className="canvas-dots-layer" style={{ width: `calc(100% + ${2 * gap}px)`, height: `calc(100% + ${2 * gap}px)` }}>
        <pattern id={patternId} width={gap} height={gap} patternUnits="userSpaceOnUse">
          <circle cx={radius} cy={radius} r={radius} fill={color} />
        </pattern>
        <rect width="100%" height="100%" fill={`url(#${patternId})`} />
      </svg>
    </div>
  );
}
