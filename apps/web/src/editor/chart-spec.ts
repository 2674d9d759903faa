import type { JsonRecord } from "./chart-data.ts";

/** Rows a chart draws at most; a chart of more points is unreadable and slow to draw. */
export const CHART_MAX_ROWS = 5_000;

export type ChartSpecResult = { spec: Record<string, unknown> } | { error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A chart node's code (a Vega-Lite spec as JSON) with the rows of its input store as its
 * data. Whatever `data` the spec names is replaced: a chart draws the store it is wired to.
 */
export function chartSpecWithRows(code: string, rows: JsonRecord[], size: { width: number; height: number }): ChartSpecResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(code);
  } catch (error) {
    return { error: `The chart's spec is not valid JSON (${error instanceof Error ? error.message : String(error)}). Fix it in the side panel.` };
  }
  if (!isObject(parsed)) return { error: "The chart's spec must be a JSON object: a Vega-Lite spec such as {\"mark\": \"bar\", \"encoding\": {…}}." };
  return {
    spec: {
      width: size.width,
      height: size.height,
      ...parsed,
      data: { values: rows },
    },
  };
}
