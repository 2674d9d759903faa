import type { GraphChange } from "@patchbay/graph";

export type SaveStatus =
  | { state: "saved" }
  | { state: "pending" }
  | { state: "saving" }
  | { state: "error"; message: string };

/**
 * Sends graph changes to the server in the order they were made, one request at a time.
 * Code edits are debounced per key; any other change first releases the pending debounced
 * ones, so the server applies exactly the sequence the editor applied.
 */
export class Autosaver {
  private readonly queue: GraphChange[] = [];
  private readonly debounced = new Map<string, { change: GraphChange; timer: ReturnType<typeof setTimeout> }>();
  private sending: Promise<void> | null = null;
  private failure: string | null = null;
  private readonly send: (changes: GraphChange[]) => Promise<void>;
  private readonly onStatus: (status: SaveStatus) => void;
  private readonly delayMs: number;
  private readonly describe: (error: unknown) => string;

  constructor(options: {
    send: (changes: GraphChange[]) => Promise<void>;
    onStatus: (status: SaveStatus) => void;
    describe: (error: unknown) => string;
    delayMs?: number;
  }) {
    this.send = options.send;
    this.onStatus = options.onStatus;
    this.describe = options.describe;
    this.delayMs = options.delayMs ?? 400;
  }

  /** Queues a change to be sent now, after everything made before it. */
  push(change: GraphChange): void {
    this.releaseDebounced();
    this.queue.push(change);
    this.pump();
  }

  /** Queues a change that replaces any earlier one with the same key until the person pauses. */
  pushDebounced(key: string, change: GraphChange): void {
    const existing = this.debounced.get(key);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.debounced.delete(key);
      this.queue.push(change);
      this.pump();
    }, this.delayMs);
    this.debounced.set(key, { change, timer });
    if (!this.sending && !this.failure) this.onStatus({ state: "pending" });
  }

  /** Sends everything pending and resolves once the server has it; rejects if saving failed. */
  async flush(): Promise<void> {
    this.releaseDebounced();
    this.pump();
    while (this.sending) await this.sending;
    if (this.failure) throw new Error(this.failure);
  }

  /** Tries again after a failed save. */
  retry(): void {
    this.failure = null;
    this.pump();
  }

  get hasUnsavedChanges(): boolean {
    return this.queue.length > 0 || this.debounced.size > 0 || this.sending !== null;
  }

  private releaseDebounced(): void {
    for (const { change, timer } of this.debounced.values()) {
      clearTimeout(timer);
      this.queue.push(change);
    }
    this.debounced.clear();
  }

  private pump(): void {
    if (this.sending || this.failure) return;
    if (this.queue.length === 0) {
      if (this.debounced.size === 0) this.onStatus({ state: "saved" });
      return;
    }
    this.sending = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      this.onStatus({ state: "saving" });
      try {
        await this.send(batch);
      } catch (error) {
        this.queue.unshift(...batch);
        this.failure = this.describe(error);
        this.onStatus({ state: "error", message: this.failure });
        break;
      }
    }
    this.sending = null;
    if (!this.failure) this.onStatus(this.debounced.size > 0 ? { state: "pending" } : { state: "saved" });
  }
}
