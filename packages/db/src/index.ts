export { openDatabase, type Database, type DatabaseOptions } from "./database.ts";
export { migrate } from "./migrations.ts";
export { newId } from "./ids.ts";
export { GraphRepository, NotFoundError, type GraphSummary, type GraphRecord } from "./graph-repository.ts";
export { RunRepository, trimLogs, type NodeRunRecord, type RunStatus, type RunTrigger, type RuntimeKind } from "./run-repository.ts";
export { WorkspaceRepository } from "./workspace-repository.ts";
export { createStoreBridge, type BridgeScope } from "./store-bridge.ts";
export { previewStore, type StorePreview } from "./store-preview.ts";
export { STORE_SCHEMA, StoreError } from "./store-tables.ts";
