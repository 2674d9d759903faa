// Long values would make every row as wide as the longest one.
const MAX_CELL_CHARS = 60;

/** A value as one table cell: text as is, null empty, objects as JSON, cut to a readable width. */
export function cellText(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS - 1)}…` : flat;
}

/** Rows as aligned text columns under a header and a rule, numbers right-aligned. */
export function formatTextTable(columns: string[], rows: unknown[][]): string[] {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => row[i] === null || row[i] === undefined || typeof row[i] === "number"));
  const widths = columns.map((name, i) => Math.max(name.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
}
