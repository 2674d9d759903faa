import type { Column, ColumnType, JsonRecord, JsonValue } from "./protocol.ts";

/** Type guards for values that crossed a boundary (Python code, a child process). */

const MAX_DEPTH = 64;
const COLUMN_TYPES: readonly string[] = ["text", "bigint", "double precision", "boolean", "jsonb", "timestamptz", "date"];

export function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > MAX_DEPTH) return false;
  if (value === null || typeof value === "boolean" || typeof value === "string") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (isObject(value)) return Object.values(value).every((item) => isJsonValue(item, depth + 1));
  return false;
}

export function isJsonRecord(value: unknown): value is JsonRecord {
  return isObject(value) && isJsonValue(value);
}

export function isJsonRecordArray(value: unknown): value is JsonRecord[] {
  return Array.isArray(value) && value.every(isJsonRecord);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === "string" && COLUMN_TYPES.includes(value);
}

export function isColumn(value: unknown): value is Column {
  return isObject(value) && typeof value.name === "string" && isColumnType(value.type);
}

export function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
