/** What store code needs of Prisma: raw SQL on the client or inside a transaction. */
export interface SqlRunner {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs a query and returns its rows as plain JSON objects, the same on PGlite and PostgreSQL. */
export async function queryJson<T>(sql: SqlRunner, query: string, ...values: unknown[]): Promise<T[]> {
  const rows = await sql.$queryRawUnsafe<{ rows: T[] | null }[]>(
    `SELECT coalesce(json_agg(q), '[]'::json) AS rows FROM (${query}) q`,
    ...values,
  );
  return rows[0]?.rows ?? [];
}

/**
 * SQL for a timestamp column as an ISO 8601 UTC string. The columns hold UTC
 * without a zone (Prisma's TIMESTAMP(3)); sessions run in UTC (database.ts).
 */
export function isoTimestamp(column: string): string {
  return `to_char(${quoteIdent(column)}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
