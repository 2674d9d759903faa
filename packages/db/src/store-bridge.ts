import {
  BridgeError,
  type BridgeRequest,
  type BridgeResponse,
  type HostBridge,
  type JsonRecord,
  type JsonValue,
  type PortBinding,
  type StoreInfo,
  type WriteOp,
} from "@patchbay/runtime/protocol";
import type { Database } from "./database.ts";
import { queryJson, type SqlRunner } from "./sql.ts";
import {
  activeVersion,
  appendRecords,
  countRecords,
  createVersion,
  createVersionFromQuery,
  findStore,
  lockStore,
  readAfter,
  readRecords,
  sqlName,
  STORE_SCHEMA,
  StoreError,
  tableColumns,
  type StoreRow,
} from "./store-tables.ts";

export interface BridgeScope {
  graphId: string;
  nodeId: string;
  nodeTitle: string;
  ports: PortBinding[];
  /**
   * The node run and the lease its worker holds. When set, every commit
   * checks the lease and records what it wrote on the node run, and the final
   * commit sets its committedAt (it must never run again), all in the
   * commit's transaction. The status follows when the run's end is recorded.
   */
  run?: { nodeRunId: string; lease: string };
}

/** Thrown when a commit comes from a worker whose node run was cancelled or handed to another worker. */
export class LeaseLostError extends BridgeError {
  constructor(message: string) {
    super("lease_lost", message);
  }
}

const MAX_PAGE = 10_000;
const MAX_RECORDS_PER_COMMIT = 5_000_000;

/**
 * The server's answer to a node's store requests: direct database access,
 * limited to the stores bound to the node's ports. Every request from the
 * sandbox is untrusted and checked here.
 */
export function createStoreBridge(db: Database, scope: BridgeScope): HostBridge {
  const prisma = db.prisma;

  function binding(port: string, need: "read" | "write"): PortBinding & { storeName: string } {
    const found = scope.ports.find((p) => p.port === port && (need === "write" ? p.direction === "output" : true));
    if (!found) {
      const verb = need === "write" ? "write to" : "read";
      throw new BridgeError("port_not_declared", `Node "${scope.nodeTitle}" may not ${verb} "${port}": it is not one of its ${need === "write" ? "output" : ""} ports. Declare it at the top of the node, e.g. Table("${port}"${need === "write" ? ', "w"' : ""}).`);
    }
    if (found.storeName === null) {
      throw new BridgeError("port_unbound", `Port "${port}" of node "${scope.nodeTitle}" is not connected to a store. Connect it to a ${found.kind === "table" ? "Table" : "Stream"} on the canvas.`);
    }
    return { ...found, storeName: found.storeName };
  }

  async function storeInfo(port: string): Promise<StoreInfo> {
    const bound = scope.ports.find((p) => p.port === port);
    if (!bound) binding(port, "read");
    if (!bound || bound.storeName === null) return { exists: false, recordCount: 0, columns: [], sqlName: null, cursor: null };
    const store = await findStore(prisma, scope.graphId, bound.storeName);
    const cursor = store && bound.direction === "input" ? await savedCursor(store.id) : null;
    const version = store ? await activeVersion(prisma, store.id) : null;
    if (!version) return { exists: false, recordCount: 0, columns: [], sqlName: null, cursor };
    return {
      cursor,
      exists: true,
      recordCount: await countRecords(prisma, version.physicalName),
      columns: await tableColumns(prisma, version.physicalName),
      sqlName: sqlName(version.physicalName),
    };
  }

  async function activeTableOf(sql: SqlRunner, port: string): Promise<string | null> {
    const bound = binding(port, "read");
    const store = await findStore(sql, scope.graphId, bound.storeName);
    const version = store ? await activeVersion(sql, store.id) : null;
    return version?.physicalName ?? null;
  }

  /** Physical tables this node may touch: the active versions of its bound ports. */
  async function allowedTables(sql: SqlRunner): Promise<Set<string>> {
    const names = new Set<string>();
    for (const port of scope.ports) {
      if (port.storeName === null) continue;
      const store = await findStore(sql, scope.graphId, port.storeName);
      const version = store ? await activeVersion(sql, store.id) : null;
      if (version) names.add(version.physicalName);
    }
    return names;
  }

  /**
   * Refuses SQL whose plan touches any relation outside the node's stores, and
   * DML that modifies any table other than `writeTarget`.
   */
  async function checkRelations(sql: SqlRunner, statement: string, writeTarget: string | null = null): Promise<void> {
    const allowed = await allowedTables(sql);
    let plan: unknown;
    try {
      const rows = await sql.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (VERBOSE, FORMAT JSON) ${statement}`);
      plan = rows[0]?.["QUERY PLAN"];
    } catch (error) {
      throw new BridgeError("sql_error", `SQL error in node "${scope.nodeTitle}": ${error instanceof Error ? error.message : String(error)}`);
    }
    const touched: { schema: string; name: string }[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (typeof record["Relation Name"] === "string") {
          touched.push({ schema: String(record["Schema"] ?? ""), name: record["Relation Name"] });
          if (record["Node Type"] === "ModifyTable" && record["Relation Name"] !== writeTarget) {
            throw new BridgeError("sql_writes_input", `Node "${scope.nodeTitle}" may only change the table it writes through this port; the SQL modifies ${String(record["Schema"] ?? "")}.${record["Relation Name"]}.`);
          }
        }
        Object.values(record).forEach(walk);
      }
    };
    walk(plan);
    for (const relation of touched) {
      if (relation.schema !== STORE_SCHEMA || !allowed.has(relation.name)) {
        throw new BridgeError("sql_outside_ports", `Node "${scope.nodeTitle}" may only query its own stores; the SQL reads ${relation.schema}.${relation.name}. Use {{ store_name }} for the node's ports.`);
      }
    }
  }

  async function readSql(statement: string, limit: number): Promise<JsonRecord[]> {
    return prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
      await checkRelations(tx, statement);
      try {
        return await queryJson<JsonRecord>(tx, `SELECT * FROM (${statement}) s LIMIT ${Math.min(limit, MAX_PAGE)}`);
      } catch (error) {
        throw new BridgeError("sql_error", `SQL error in node "${scope.nodeTitle}": ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  async function applyWrite(tx: SqlRunner, op: WriteOp, locked: Map<string, StoreRow>): Promise<number> {
    const bound = binding(op.port, "write");
    let store = locked.get(bound.storeName);
    if (!store) {
      store = await lockStore(tx, scope.graphId, bound.storeName, bound.kind);
      locked.set(bound.storeName, store);
    }
    switch (op.op) {
      case "append":
        return appendRecords(tx, store, op.records);
      case "upsert":
        if (op.uniqueOn.length === 0) throw new BridgeError("upsert_needs_key", `Table "${op.port}": upsert needs unique_on; call init(unique_on=[...]) first.`);
        return appendRecords(tx, store, op.records, op.uniqueOn);
      case "replace":
        await createVersion(tx, store.id);
        return appendRecords(tx, store, op.records);
      case "reset":
        await createVersion(tx, store.id);
        return 0;
      case "truncate": {
        const version = await activeVersion(tx, store.id);
        if (version) await tx.$executeRawUnsafe(`DELETE FROM ${sqlName(version.physicalName)}`);
        return 0;
      }
      case "init": {
        const version = await activeVersion(tx, store.id);
        if (!version) await createVersion(tx, store.id, op.schema ?? []);
        return 0;
      }
      case "executeSql": {
        const target = (await activeVersion(tx, store.id)) ?? (await createVersion(tx, store.id));
        await checkRelations(tx, op.sql, target.physicalName);
        try {
          return await tx.$executeRawUnsafe(op.sql);
        } catch (error) {
          throw new BridgeError("sql_error", `SQL error in node "${scope.nodeTitle}": ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      case "replaceWithQuery": {
        await checkRelations(tx, op.sql);
        try {
          return (await createVersionFromQuery(tx, store.id, op.sql)).rows;
        } catch (error) {
          throw new BridgeError("sql_error", `SQL error in node "${scope.nodeTitle}": ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }

  async function commit(request: Extract<BridgeRequest, { op: "commit" }>): Promise<number> {
    const total = request.writes.reduce((n, w) => n + ("records" in w ? w.records.length : 0), 0);
    if (total > MAX_RECORDS_PER_COMMIT) {
      throw new BridgeError("commit_too_large", `Node "${scope.nodeTitle}" tried to write ${total} records in one commit; the limit is ${MAX_RECORDS_PER_COMMIT}. Call checkpoint() between batches.`);
    }
    return prisma.$transaction(
      async (tx) => {
        if (scope.run) await checkLease(tx, scope.run);
        const locked = new Map<string, StoreRow>();
        let written = 0;
        for (const op of request.writes) written += await applyWrite(tx, op, locked);
        for (const cursor of request.cursors) {
          const bound = binding(cursor.port, "read");
          const store = await lockStore(tx, scope.graphId, bound.storeName, bound.kind);
          await tx.$executeRawUnsafe(
            `INSERT INTO "StreamCursor" ("storeId", "consumerNodeId", position) VALUES ($1, $2, $3)
             ON CONFLICT ("storeId", "consumerNodeId") DO UPDATE SET position = EXCLUDED.position`,
            store.id,
            scope.nodeId,
            cursor.position,
          );
        }
        if (request.state !== null) {
          await tx.$executeRawUnsafe(
            `INSERT INTO "NodeState" ("graphId", "nodeId", state) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT ("graphId", "nodeId") DO UPDATE SET state = EXCLUDED.state`,
            scope.graphId,
            scope.nodeId,
            JSON.stringify(request.state),
          );
        }
        if (scope.run) {
          const stores = [...locked.keys()];
          await tx.$executeRawUnsafe(
            `UPDATE "NodeRun" SET "recordsOut" = "recordsOut" + $2,
                "storesWritten" = (SELECT coalesce(jsonb_agg(DISTINCT s), '[]'::jsonb) FROM jsonb_array_elements_text("storesWritten" || $3::jsonb) s),
                "committedAt" = CASE WHEN $4 THEN now() ELSE "committedAt" END
              WHERE id = $1`,
            scope.run.nodeRunId,
            written,
            JSON.stringify(stores),
            request.final === true,
          );
        }
        return written;
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
  }

  async function checkLease(tx: SqlRunner, run: { nodeRunId: string; lease: string }): Promise<void> {
    const rows = await queryJson<{ status: string; lease: string | null }>(tx, `SELECT status, lease FROM "NodeRun" WHERE id = $1 FOR UPDATE`, run.nodeRunId);
    const row = rows[0];
    if (!row || row.status !== "running" || row.lease !== run.lease) {
      throw new LeaseLostError(
        row?.status === "cancelled"
          ? `The run of node "${scope.nodeTitle}" was cancelled; its writes were not saved.`
          : `The run of node "${scope.nodeTitle}" is no longer held by this worker; its writes were not saved.`,
      );
    }
  }

  async function handle(request: BridgeRequest): Promise<BridgeResponse> {
    switch (request.op) {
      case "storeInfo":
        return { op: "storeInfo", info: await storeInfo(request.port) };
      case "readTable": {
        const table = await activeTableOf(prisma, request.port);
        const records = table ? await readRecords(prisma, table, { offset: Math.max(0, request.offset), limit: Math.min(request.limit, MAX_PAGE) }) : [];
        return { op: "readTable", records };
      }
      case "readSql":
        return { op: "readSql", records: await readSql(request.sql, request.limit) };
      case "readStream": {
        const table = await activeTableOf(prisma, request.port);
        const records = table ? await readAfter(prisma, table, request.after, Math.min(request.limit, MAX_PAGE)) : [];
        return { op: "readStream", records };
      }
      case "getState": {
        const rows = await queryJson<{ state: Record<string, JsonValue> }>(prisma, `SELECT state FROM "NodeState" WHERE "graphId" = $1 AND "nodeId" = $2`, scope.graphId, scope.nodeId);
        return { op: "getState", state: rows[0]?.state ?? {} };
      }
      case "commit":
        return { op: "commit", recordsWritten: await commit(request) };
    }
  }

  /** Where this consumer left off in a stream: its committed cursor. */
  async function savedCursor(storeId: string): Promise<string | null> {
    const rows = await queryJson<{ position: string }>(prisma, `SELECT position FROM "StreamCursor" WHERE "storeId" = $1 AND "consumerNodeId" = $2`, storeId, scope.nodeId);
    return rows[0]?.position ?? null;
  }

  return {
    async call(request) {
      try {
        return await handle(request);
      } catch (error) {
        if (error instanceof BridgeError) throw error;
        if (error instanceof StoreError) throw new BridgeError(error.code, error.message);
        throw new BridgeError("store_error", `Store operation ${request.op} failed for node "${scope.nodeTitle}": ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
