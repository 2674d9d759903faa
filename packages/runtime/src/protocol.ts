/**
 * The host-bridge contract: what a node invocation asks of its host.
 *
 * The same Python `patterns` module and executor run in a sandboxed server
 * worker and in a browser Web Worker; only the host that answers these
 * requests differs (direct database access on the server, API calls from the
 * browser). Every request names a *port*, never a physical table: the host
 * resolves the port to a store and refuses anything outside the node's ports.
 */

export type StoreKind = "table" | "stream";
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = { [column: string]: JsonValue };

/** A port of the node being run and the store it is bound to (null: unbound). */
export interface PortBinding {
  port: string;
  direction: "input" | "output";
  kind: StoreKind;
  storeName: string | null;
}

/** Everything needed to run one node once. */
export interface Invocation {
  graphId: string;
  nodeId: string;
  nodeTitle: string;
  nodeRunId: string;
  code: string;
  ports: PortBinding[];
  /** Parameter values set on the node, already resolved (secrets substituted). */
  parameters: Record<string, JsonValue>;
  /** Wall-clock limit of this invocation. */
  timeLimitMs: number;
}

export type ColumnType = "text" | "bigint" | "double precision" | "boolean" | "jsonb" | "timestamptz" | "date";
export interface Column {
  name: string;
  type: ColumnType;
}

/** One buffered write, applied by the host inside the commit transaction. */
export type WriteOp =
  | { op: "append"; port: string; records: JsonRecord[] }
  | { op: "upsert"; port: string; records: JsonRecord[]; uniqueOn: string[] }
  | { op: "replace"; port: string; records: JsonRecord[] }
  | { op: "truncate"; port: string }
  | { op: "reset"; port: string }
  | { op: "init"; port: string; schema: Column[] | null; uniqueOn: string[] | null; addMonotonicId: string | null }
  | { op: "executeSql"; port: string; sql: string }
  /** A new version of the store holding the rows of a read-only query (SQL nodes). */
  | { op: "replaceWithQuery"; port: string; sql: string };

export type BridgeRequest =
  /** Existence, row count, columns and quoted SQL name of the store behind a port. */
  | { op: "storeInfo"; port: string }
  /** Rows of a table in patterns_id order (then insertion order). */
  | { op: "readTable"; port: string; offset: number; limit: number }
  /** A read-only query; `{{ }}` templates are already replaced by sql names of the node's ports. */
  | { op: "readSql"; sql: string; limit: number }
  /**
   * Stream records after a patterns_id position, oldest first; `after: ""`
   * starts at the very beginning. A consumer starts at `StoreInfo.cursor`.
   */
  | { op: "readStream"; port: string; after: string; limit: number }
  /** The node's saved state. */
  | { op: "getState" }
  /**
   * Atomically applies writes, advances stream cursors and saves state. Sent at
   * every `checkpoint()` and once at the end of a successful run.
   */
  | {
      op: "commit";
      writes: WriteOp[];
      cursors: { port: string; position: string }[];
      state: Record<string, JsonValue> | null;
      /** The commit at the end of a successful run (not a checkpoint). */
      final?: boolean;
    };

export interface StoreInfo {
  exists: boolean;
  recordCount: number;
  columns: Column[];
  /** Quoted, schema-qualified SQL name of the active version, e.g. "store"."t_01h…". */
  sqlName: string | null;
  /** For a stream (or table read as a stream): where this node's last committed run stopped. */
  cursor: string | null;
}

export type BridgeResponse =
  | { op: "storeInfo"; info: StoreInfo }
  | { op: "readTable"; records: JsonRecord[] }
  | { op: "readSql"; records: JsonRecord[] }
  | { op: "readStream"; records: JsonRecord[] }
  | { op: "getState"; state: Record<string, JsonValue> }
  | { op: "commit"; recordsWritten: number };

/** The host side of the bridge. Throws a BridgeError for refused or failed requests. */
export interface HostBridge {
  call(request: BridgeRequest): Promise<BridgeResponse>;
}

/** A refusal or failure the Python code sees as an exception with this message. */
export class BridgeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "BridgeError";
    this.code = code;
  }
}

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";
export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Milliseconds since the epoch. */
  time: number;
}

export interface InvocationResult {
  status: "succeeded" | "failed";
  logs: LogEntry[];
  /** Python traceback or the reason of the failure, with the node's line number. */
  error: string | null;
  recordsRead: number;
  recordsWritten: number;
  durationMs: number;
}
