import { EventEmitter, on } from "node:events";
import pg from "pg";
import type { RunEvent, RunEventSource } from "@patchbay/api";
import type { Database, NodeRunRecord } from "@patchbay/db";

const CHANNEL = "patchbay_run_events";

/**
 * Fans run events out to every subscribed browser. With the embedded
 * database everything runs in one process and events go straight to the
 * subscribers. With a PostgreSQL server, workers and API servers may be
 * different processes on different machines: an event is a NOTIFY naming the
 * node run, and every process LISTENs and reads the node run from the
 * database before passing it on.
 */
export class RunEventHub implements RunEventSource {
  private readonly emitter = new EventEmitter();
  private readonly db: Database;
  private readonly loadNodeRun: (id: string) => Promise<NodeRunRecord | null>;
  private listener: pg.Client | null = null;
  private closed = false;

  constructor(db: Database, loadNodeRun: (id: string) => Promise<NodeRunRecord | null>) {
    this.db = db;
    this.loadNodeRun = loadNodeRun;
    // One listener per open editor tab; there is no meaningful small limit.
    this.emitter.setMaxListeners(0);
  }

  /** Starts listening for other processes' events (PostgreSQL server only). */
  async start(): Promise<void> {
    if (this.db.kind !== "postgres") return;
    const client = new pg.Client({ connectionString: this.db.url });
    client.on("notification", (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      void this.deliver(message.payload);
    });
    client.on("error", (error) => {
      console.error(`Run events: lost the database connection (${error.message}); reconnecting`);
      this.listener = null;
      if (!this.closed) setTimeout(() => void this.start().catch(() => {}), 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  publish(graphId: string, event: RunEvent): void {
    if (this.db.kind === "postgres") {
      const payload = JSON.stringify({ graphId, nodeRunId: event.nodeRun.id });
      void this.db.prisma.$executeRawUnsafe(`SELECT pg_notify($1, $2)`, CHANNEL, payload).catch((error: unknown) => {
        console.error(`Run events: NOTIFY failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    } else {
      this.emitter.emit(graphId, event);
    }
  }

  async *subscribe(graphId: string, signal: AbortSignal | undefined): AsyncIterable<RunEvent> {
    for await (const [event] of on(this.emitter, graphId, signal ? { signal } : {})) yield event;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => {});
  }

  private async deliver(payload: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (!parsed || typeof parsed !== "object" || !("graphId" in parsed) || !("nodeRunId" in parsed)) return;
    const { graphId, nodeRunId } = parsed;
    if (typeof graphId !== "string" || typeof nodeRunId !== "string") return;
    if (this.emitter.listenerCount(graphId) === 0) return;
    const nodeRun = await this.loadNodeRun(nodeRunId);
    if (nodeRun) this.emitter.emit(graphId, { type: "nodeRun", nodeRun } satisfies RunEvent);
  }
}
