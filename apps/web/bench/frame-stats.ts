export interface FrameStats {
  frames: number;
  intervalP50: number;
  intervalP95: number;
  workP50: number;
  workP95: number;
  workMax: number;
}

/** The value below which `p` (0–1) of the samples fall (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Frame intervals (between rAF callbacks) and main-thread work per frame, summarized. */
export function frameStats(intervals: readonly number[], work: readonly number[]): FrameStats {
  return {
    frames: intervals.length,
    intervalP50: percentile(intervals, 0.5),
    intervalP95: percentile(intervals, 0.95),
    workP50: percentile(work, 0.5),
    workP95: percentile(work, 0.95),
    workMax: work.length ? Math.max(...work) : Number.NaN,
  };
}
