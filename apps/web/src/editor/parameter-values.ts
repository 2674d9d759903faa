import type { ParameterSpec } from "@patchbay/graph";

/** Why the text typed for a parameter is not a value of its type, or null when it is (empty is fine: the default applies). */
export function parameterInputError(spec: Pick<ParameterSpec, "type">, text: string): string | null {
  const value = text.trim();
  if (value === "") return null;
  switch (spec.type) {
    case "int":
      return /^[+-]?\d+$/.test(value) ? null : "Enter a whole number, e.g. 42.";
    case "float":
      return value !== "" && Number.isFinite(Number(value)) ? null : "Enter a number, e.g. 3.5.";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : "Enter a date as YYYY-MM-DD.";
    case "datetime":
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?/.test(value) ? null : "Enter a date and time as YYYY-MM-DDTHH:MM.";
    case "connection":
      return /^\$\{\{\s*[A-Za-z_][\w.]*\s*\}\}$/.test(value) ? null : "Enter a secret reference, e.g. ${{ my_database }}.";
    default:
      return null;
  }
}

export interface SchemaRow {
  column: string;
  type: string;
}

/** A schema value ({column: type}) as editable rows. */
export function schemaRows(value: unknown): SchemaRow[] {
  if (typeof value === "string") {
    try {
      return schemaRows(JSON.parse(value));
    } catch {
      return [];
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).map(([column, type]) => ({ column, type: typeof type === "string" ? type : "Text" }));
}

/** Rows back to a schema value, skipping rows without a column name. */
export function schemaValue(rows: readonly SchemaRow[]): Record<string, string> {
  const schema: Record<string, string> = {};
  for (const row of rows) if (row.column.trim()) schema[row.column.trim()] = row.type;
  return schema;
}

/** The value valid typed text stands for; undefined (no value: the default applies) when empty. */
export function textValue(spec: Pick<ParameterSpec, "type">, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (spec.type === "int" || spec.type === "float") return Number(trimmed);
  return spec.type === "text" || spec.type === "str" ? text : trimmed;
}
