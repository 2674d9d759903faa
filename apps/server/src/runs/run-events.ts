import { EventEmitter, on } from "node:events";
import type { RunEvent, RunEventSource } from "@patchbay/api";

/** In-process fan-out of run events to every subscribed browser of a graph. */
export class RunEventHub implements RunEventSource {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open editor tab; there is no meaningful small limit.
    this.emitter.setMaxListeners(0);
  }

  publish(graphId: string, event: RunEvent): void {
    this.emitter.emit(graphId, event);
  }

  async *subscribe(graphId: string, signal: AbortSignal | undefined): AsyncIterable<RunEvent> {
    for await (const [event] of on(this.emitter, graphId, signal ? { signal } : {})) {
      yield event;
    }
  }
}
