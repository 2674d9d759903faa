import { EventEmitter, on } from "node:events";
import type { RunEvent, RunEventSource } from "@patchbay/api";
import type { NodeRunRecord } from "@patchbay/db";
import type { Broadcast } from "../broadcast.ts";

export const RUN_EVENTS_CHANNEL = "patchbay_run_events";

/**
 * Fans run events out to every subscribed browser, in whichever process it
 * is connected to. A message names the node run; each process reads it from
 * the database before passing it on, so messages stay small and every
 * subscriber sees the saved state.
 */
export class RunEventHub implements RunEventSource {
  private readonly emitter = new EventEmitter();
  private readonly loadNodeRun: (id: string) => Promise<NodeRunRecord | null>;
  private readonly broadcast: Broadcast;

  constructor(broadcast: Broadcast, loadNodeRun: (id: string) => Promise<NodeRunRecord | null>) {
    this.broadcast = broadcast;
    this.loadNodeRun = loadNodeRun;
    // One listener per open editor tab; there is no meaningful small limit.
    this.emitter.setMaxListeners(0);
    broadcast.subscribe(RUN_EVENTS_CHANNEL, (payload) => {
      // A database error while reloading one event must not take the process down.
      this.deliver(payload).catch((error: unknown) => console.error(`Run events: could not deliver an event: ${String(error)}`));
    });
  }

  /** Tells every subscriber of the graph, in every process, that this node run changed. */
  publish(graphId: string, nodeRunId: string): void {
    this.broadcast.publish(RUN_EVENTS_CHANNEL, JSON.stringify({ graphId, nodeRunId })).catch((error: unknown) => {
      console.error(`Run events: could not publish: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async *subscribe(graphId: string, signal: AbortSignal | undefined): AsyncIterable<RunEvent> {
    for await (const [event] of on(this.emitter, graphId, signal ? { signal } : {})) yield event;
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
