import {
  BridgeError,
  type BridgeRequest,
  type BridgeResponse,
  type Column,
  type HostBridge,
  type JsonRecord,
  type JsonValue,
  type PortBinding,
  type StoreInfo,
  type WriteOp,
} from "../src/protocol.ts";

interface MemoryStore {
  records: JsonRecord[];
  exists: boolean;
  version: number;
  uniqueOn: string[] | null;
  schema: Column[] | null;
  addMonotonicId: string | null;
}

/**
 * An in-memory HostBridge for runtime-level tests of the Python API. It keeps
 * one node's stores, cursors and state, and applies commits like the real host
 * should: all at once. The database-backed host has its own tests in packages/db.
 */
export class MemoryBridge implements HostBridge {
  readonly ports: PortBinding[];
  readonly stores = new Map<string, MemoryStore>();
  readonly cursors = new Map<string, string>();
  readonly requests: BridgeRequest[] = [];
  readonly executedSql: string[] = [];
  state: Record<string, JsonValue> = {};
  private lastId = 0;

  constructor(ports: PortBinding[]) {
    this.ports = ports;
  }

  /** Puts records into the store bound to a port, as if an earlier run wrote them. */
  seed(storeName: string, records: JsonRecord[]): void {
    const store = this.store(storeName);
    store.exists = true;
    store.records.push(...records.map((record) => ({ patterns_id: this.nextId(), ...record })));
  }

  records(storeName: string): JsonRecord[] {
    return this.stores.get(storeName)?.records ?? [];
  }

  async call(request: BridgeRequest): Promise<BridgeResponse> {
    this.requests.push(request);
    switch (request.op) {
      case "storeInfo":
        return { op: "storeInfo", info: this.info(request.port) };
      case "readTable": {
        const store = this.store(this.storeOf(request.port));
        return { op: "readTable", records: store.records.slice(request.offset, request.offset + request.limit) };
      }
      case "readStream": {
        const store = this.store(this.storeOf(request.port));
        const after = request.after;
        const records = store.records.filter((record) => String(record.patterns_id) > after);
        return { op: "readStream", records: records.slice(0, request.limit) };
      }
      case "readSql": {
        this.executedSql.push(request.sql);
        const store = [...this.stores.entries()].find(([name]) => request.sql.includes(sqlName(name)));
        return { op: "readSql", records: store ? store[1].records.slice(0, request.limit) : [] };
      }
      case "getState":
        return { op: "getState", state: structuredClone(this.state) };
      case "commit": {
        // Validate everything first, so a refused commit changes nothing.
        for (const write of request.writes) this.outputStoreOf(write.port);
        let written = 0;
        for (const write of request.writes) written += this.apply(write);
        for (const cursor of request.cursors) {
          this.storeOf(cursor.port);
          this.cursors.set(cursor.port, cursor.position);
        }
        if (request.state !== null) this.state = structuredClone(request.state);
        return { op: "commit", recordsWritten: written };
      }
    }
  }

  private info(port: string): StoreInfo {
    const name = this.storeOf(port);
    const store = this.store(name);
    const columns: Column[] = store.schema ?? Object.keys(store.records[0] ?? {}).map((column) => ({ name: column, type: "text" }));
    return {
      exists: store.exists,
      recordCount: store.records.length,
      columns,
      sqlName: store.exists ? sqlName(name) : null,
      cursor: this.cursors.get(port) ?? null,
    };
  }

  private apply(write: WriteOp): number {
    const store = this.store(this.outputStoreOf(write.port));
    store.exists = true;
    switch (write.op) {
      case "init":
        store.uniqueOn = write.uniqueOn;
        store.schema = write.schema;
        store.addMonotonicId = write.addMonotonicId;
        return 0;
      case "append":
        store.records.push(...write.records.map((record) => this.withId(store, record)));
        return write.records.length;
      case "upsert":
        for (const record of write.records) {
          const index = store.records.findIndex((existing) => write.uniqueOn.every((column) => existing[column] === record[column]));
          if (index >= 0) store.records[index] = { ...store.records[index], ...record };
          else store.records.push(this.withId(store, record));
        }
        return write.records.length;
      case "replace":
        store.version += 1;
        store.records = write.records.map((record) => this.withId(store, record));
        return write.records.length;
      case "truncate":
        store.records = [];
        return 0;
      case "reset":
        store.version += 1;
        store.records = [];
        return 0;
      case "executeSql":
        this.executedSql.push(write.sql);
        return 0;
      case "replaceWithQuery":
        // SQL nodes need a database; the in-memory host only records the query.
        store.version += 1;
        store.records = [];
        this.executedSql.push(write.sql);
        return 0;
    }
  }

  private withId(store: MemoryStore, record: JsonRecord): JsonRecord {
    return store.addMonotonicId === null ? record : { [store.addMonotonicId]: this.nextId(), ...record };
  }

  private nextId(): string {
    this.lastId += 1;
    return `01J${String(this.lastId).padStart(23, "0")}`;
  }

  private storeOf(port: string): string {
    const binding = this.ports.find((candidate) => candidate.port === port);
    if (!binding) throw new BridgeError("unknown_port", `Port '${port}' is not a port of this node`);
    if (binding.storeName === null) throw new BridgeError("unbound_port", `Port '${port}' is not bound to a store`);
    return binding.storeName;
  }

  private outputStoreOf(port: string): string {
    const binding = this.ports.find((candidate) => candidate.port === port);
    if (!binding || binding.direction !== "output") throw new BridgeError("not_output", `Port '${port}' is not an output port`);
    return this.storeOf(port);
  }

  private store(name: string): MemoryStore {
    let store = this.stores.get(name);
    if (!store) {
      store = { records: [], exists: false, version: 1, uniqueOn: null, schema: null, addMonotonicId: "patterns_id" };
      this.stores.set(name, store);
    }
    return store;
  }
}

function sqlName(storeName: string): string {
  return `"store"."${storeName}"`;
}
