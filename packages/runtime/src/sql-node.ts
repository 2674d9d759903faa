/**
 * The Python program that runs a SQL node: the same executor, sandbox and
 * host bridge as Python nodes, with the SQL rendered by `patterns.sql_node`.
 */
export function sqlNodeProgram(sql: string): string {
  return `from patterns.sql_node import run_sql_node\nrun_sql_node(${JSON.stringify(sql)})\n`;
}
