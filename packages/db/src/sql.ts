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
