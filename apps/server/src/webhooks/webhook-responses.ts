import { randomUUID } from "node:crypto";
import { MAX_BROADCAST_BYTES, type Broadcast } from "../broadcast.ts";

export const WEBHOOK_RESPONSES_CHANNEL = "patchbay_webhook_responses";
// What is left of a broadcast message for the answer itself, after the request key and the envelope.
export const MAX_ANSWER_BYTES = MAX_BROADCAST_BYTES - 100;

export type WebhookAnswer = { payload: unknown } | { error: string };

/**
 * Answers of "ingest and respond" webhooks: the process holding the HTTP
 * request waits for the request key; whichever process ran the node that
 * called respond_to_request publishes the payload under that key.
 */
export class WebhookResponses {
  private readonly broadcast: Broadcast;
  private readonly waiting = new Map<string, (answer: WebhookAnswer) => void>();

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
      if (!resolve) return;
      if ("error" in parsed && typeof parsed.error === "string") resolve({ error: parsed.error });
      else resolve({ payload: "payload" in parsed ? parsed.payload : null });
    });
  }

  newRequestKey(): string {
    return randomUUID();
  }

  /** Resolves with what was sent for `requestKey` (a payload, or why it could not be sent), or "timeout". */
  wait(requestKey: string, timeoutMs: number): Promise<WebhookAnswer | "timeout"> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestKey);
        resolve("timeout");
      }, timeoutMs);
      this.waiting.set(requestKey, (answer) => {
        clearTimeout(timer);
        this.waiting.delete(requestKey);
        resolve(answer);
      });
    });
  }

  async respond(requestKey: string, payload: unknown): Promise<void> {
    const message = JSON.stringify({ requestKey, payload });
    const bytes = Buffer.byteLength(message);
    // The answer travels between processes as one broadcast message; one too large for it
    // is reported to the waiting caller instead of being lost.
    const sent =
      bytes <= MAX_BROADCAST_BYTES
        ? message
        : JSON.stringify({ requestKey, error: `The node's answer was ${bytes} bytes; a webhook answer may be at most ${MAX_ANSWER_BYTES} bytes. Answer with less (e.g. an id the caller can look up).` });
    await this.broadcast.publish(WEBHOOK_RESPONSES_CHANNEL, sent);
  }
}
