import type { InvocationResult, JsonValue } from "./protocol.ts";
import { isJsonValue, isObject } from "./json-guards.ts";

/** A `State().request_new_run(...)` made by a successful run. */
export interface NewRunRequest {
  triggerDownstream: boolean;
  waitAtLeastSeconds: number | null;
}

/** A `respond_to_request(request_key, payload)` made by a successful run. */
export interface WebhookResponse {
  requestKey: string;
  payload: JsonValue;
}

/**
 * What a run returns: the contract's InvocationResult plus the requests that
 * the contract has no field for yet (kept here so the host can act on them).
 */
export interface NodeRunResult extends InvocationResult {
  newRunRequest: NewRunRequest | null;
  responses: WebhookResponse[];
}

export function parseNewRunRequest(value: unknown): NewRunRequest | null {
  if (!isObject(value)) return null;
  const wait = value.waitAtLeastSeconds;
  return {
    triggerDownstream: value.triggerDownstream !== false,
    waitAtLeastSeconds: typeof wait === "number" && Number.isFinite(wait) && wait >= 0 ? wait : null,
  };
}

/** The well-formed webhook responses in value; anything else is dropped. */
export function parseWebhookResponses(value: unknown): WebhookResponse[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) =>
    isObject(item) && typeof item.requestKey === "string" && isJsonValue(item.payload)
      ? [{ requestKey: item.requestKey, payload: item.payload }]
      : [],
  );
}
