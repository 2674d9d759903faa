import { isColumn, isJsonRecord, isJsonRecordArray, isNonNegativeInteger, isObject, isStringArray } from "./json-guards.ts";
import { BridgeError, type BridgeRequest, type JsonValue, type WriteOp } from "./protocol.ts";

/**
 * Checks that a request coming from node code (which may have been tampered
 * with) has the shape of a BridgeRequest. The host still checks what it asks.
 */
export function parseBridgeRequest(value: unknown): BridgeRequest {
  if (!isObject(value) || typeof value.op !== "string") throw badRequest("a request must be an object with an op");
  switch (value.op) {
    case "storeInfo":
      if (typeof value.port === "string") return { op: "storeInfo", port: value.port };
      break;
    case "readTable":
      if (typeof value.port === "string" && isNonNegativeInteger(value.offset) && isNonNegativeInteger(value.limit)) {
        return { op: "readTable", port: value.port, offset: value.offset, limit: value.limit };
      }
      break;
    case "readSql":
      if (typeof value.sql === "string" && isNonNegativeInteger(value.limit)) {
        return { op: "readSql", sql: value.sql, limit: value.limit };
      }
      break;
    case "readStream":
      if (typeof value.port === "string" && typeof value.after === "string" && isNonNegativeInteger(value.limit)) {
        return { op: "readStream", port: value.port, after: value.after, limit: value.limit };
      }
      break;
    case "getState":
      return { op: "getState" };
    case "commit":
      return parseCommit(value);
  }
  throw badRequest(`malformed ${value.op} request`);
}

function parseCommit(value: { [key: string]: unknown }): BridgeRequest {
  const { writes, cursors, state } = value;
  if (!Array.isArray(writes)) throw badRequest("commit: writes must be a list");
  if (!Array.isArray(cursors)) throw badRequest("commit: cursors must be a list");
  const parsedCursors = cursors.map((cursor) => {
    if (isObject(cursor) && typeof cursor.port === "string" && typeof cursor.position === "string") {
      return { port: cursor.port, position: cursor.position };
    }
    throw badRequest("commit: a cursor needs a port and a position");
  });
  let parsedState: Record<string, JsonValue> | null = null;
  if (state !== null) {
    if (!isJsonRecord(state)) throw badRequest("commit: state must be a JSON object or null");
    parsedState = state;
  }
  if (value.final !== undefined && typeof value.final !== "boolean") throw badRequest("commit: final must be a boolean");
  return { op: "commit", writes: writes.map(parseWriteOp), cursors: parsedCursors, state: parsedState, final: value.final === true };
}

function parseWriteOp(value: unknown): WriteOp {
  if (!isObject(value) || typeof value.op !== "string" || typeof value.port !== "string") {
    throw badRequest("commit: each write needs an op and a port");
  }
  const { port } = value;
  switch (value.op) {
    case "append":
    case "replace":
      if (isJsonRecordArray(value.records)) return { op: value.op, port, records: value.records };
      break;
    case "upsert":
      if (isJsonRecordArray(value.records) && isStringArray(value.uniqueOn)) {
        return { op: "upsert", port, records: value.records, uniqueOn: value.uniqueOn };
      }
      break;
    case "truncate":
    case "reset":
      return { op: value.op, port };
    case "init": {
      const { schema, uniqueOn, addMonotonicId } = value;
      const schemaOk = schema === null || (Array.isArray(schema) && schema.every(isColumn));
      const uniqueOnOk = uniqueOn === null || isStringArray(uniqueOn);
      const idOk = addMonotonicId === null || typeof addMonotonicId === "string";
      if (schemaOk && uniqueOnOk && idOk) {
        return {
          op: "init",
          port,
          schema: schema === null ? null : schema.filter(isColumn),
          uniqueOn: uniqueOn === null ? null : uniqueOn.filter((item) => typeof item === "string"),
          addMonotonicId,
        };
      }
      break;
    }
    case "executeSql":
    case "replaceWithQuery":
      if (typeof value.sql === "string") return { op: value.op, port, sql: value.sql };
      break;
  }
  throw badRequest(`commit: malformed ${value.op} write on port '${port}'`);
}

function badRequest(message: string): BridgeError {
  return new BridgeError("bad_request", `Bad bridge request: ${message}`);
}
