import { randomUUID } from "node:crypto";
import type { Broadcast } from "../broadcast.ts";

export const WEBHOOK_RESPONSES_CHANNEL = "patchbay_webhook_responses";

/**
 * Answers of "ingest and respond" webhooks: the process holding the HTTP
 * request waits for the request key; whichever process ran the node that
 * called respond_to_request publishes the payload under that key.
 */
export class WebhookResponses {
  private readonly broadcast: Broadcast;
  private readonly waiting = new Map<string, (payload: unknown) => void>();

  constructor(broadcast: Broadcast) {
    this.broadcast = broadcast;
    broadcast.subscribe(WEBHOOK_RESPONSES_CHANNEL, (message) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        return;
      }
      if (!parsed || typeof parsed !== "object" || !("requestKey" in parsed) || typeof parsed.requestKey !== "string") return;
      const resolve = this.waiting.get(parsed.requestKey);
      if (resolve) resolve("payload" in parsed ? parsed.payload : null);
    });
  }

  newRequestKey(): string {
    return randomUUID();
  }

  /** Resolves with the payload sent for `requestKey`, or "timeout". */
  wait(requestKey: string, timeoutMs: number): Promise<{ payload: unknown } | "timeout"> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestKey);
        resolve("timeout");
      }, timeoutMs);
      this.waiting.set(requestKey, (payload) => {
        clearTimeout(timer);
        this.waiting.delete(requestKey);
        resolve({ payload });
      });
    });
  }

  async respond(requestKey: string, payload: unknown): Promise<void> {
    await this.broadcast.publish(WEBHOOK_RESPONSES_CHANNEL, JSON.stringify({ requestKey, payload }));
  }
}
