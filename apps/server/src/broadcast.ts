import { EventEmitter } from "node:events";
import pg from "pg";
import type { Database } from "@patchbay/db";

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
export const MAX_BROADCAST_BYTES = 7_900;

/**
 * Messages to every Patchbay process that shares the database. With the
 * embedded database there is one process and messages stay in it; with a
 * PostgreSQL server they travel as NOTIFY on a channel every process LISTENs
 * to, through one dedicated connection that reconnects when it drops.
 */
export class Broadcast {
  private readonly emitter = new EventEmitter();
  private readonly db: Database;
  private readonly channels = new Set<string>();
  private listener: pg.Client | null = null;
  private closed = false;

  constructor(db: Database) {
    this.db = db;
    this.emitter.setMaxListeners(0);
  }

  async start(channels: readonly string[]): Promise<void> {
    for (const channel of channels) this.channels.add(channel);
    if (this.db.kind !== "postgres") return;
    const client = new pg.Client({ connectionString: this.db.url, application_name: "patchbay-broadcast" });
    client.on("notification", (message) => {
      if (message.payload !== undefined) this.emitter.emit(message.channel, message.payload);
    });
    client.on("error", (error) => {
      console.error(`Broadcast: lost the database connection (${error.message}); reconnecting`);
      this.listener = null;
      if (!this.closed) setTimeout(() => void this.start([]).catch(() => {}), 1_000);
    });
    await client.connect();
    for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
    this.listener = client;
  }

  async publish(channel: string, payload: string): Promise<void> {
    if (Buffer.byteLength(payload) > MAX_BROADCAST_BYTES) throw new Error(`A broadcast message may be at most ${MAX_BROADCAST_BYTES} bytes.`);
    if (this.db.kind === "postgres") await this.db.prisma.$executeRawUnsafe(`SELECT pg_notify($1, $2)`, channel, payload);
    else this.emitter.emit(channel, payload);
  }

  /** Calls `listener` for each message on `channel`; returns the function that stops it. */
  subscribe(channel: string, listener: (payload: string) => void): () => void {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => {});
  }
}
