/** A YAML mapping read as a plain object. */
export type PlainRecord = Record<string, unknown>;

export function isPlainRecord(value: unknown): value is PlainRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The entries of `record` whose keys are not in `known`: the part kept in `extra`. */
export function unknownKeys(record: PlainRecord, known: readonly string[]): PlainRecord {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !known.includes(key)));
}

/** Files are named under keys ending in `_file` (node_file, description_file, schema_file, markdown_file…). */
export function isFileKey(key: string): boolean {
  return key.endsWith("_file");
}

/** Every `*_file: path` inside a value, with the key path that names it. */
export function fileReferencesIn(value: unknown, path: (string | number)[] = []): { reference: unknown; path: (string | number)[] }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => fileReferencesIn(item, [...path, index]));
  if (!isPlainRecord(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => (isFileKey(key) && typeof item === "string" ? [{ reference: item, path: [...path, key] }] : fileReferencesIn(item, [...path, key])));
}
