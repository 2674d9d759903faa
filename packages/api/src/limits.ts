/**
 * Largest request body the API reads, in bytes. Bigger bodies get 413 as soon
 * as they pass it (at once when Content-Length says so) instead of being
 * buffered. It leaves room for the largest edits the schemas allow in
 * practice (a pasted node with 1,000,000 characters of code is at most a few MB
 * of JSON) and for a browser run's commit of a few hundred thousand rows.
 */
export const API_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Most calls one batched request may hold: tRPC runs a batch's calls at once, so it caps that concurrency. */
export const API_MAX_BATCH_CALLS = 200;

/** The message of a 413, the same whether Content-Length or the streamed body gave it away. */
export function bodyTooLargeMessage(declaredBytes?: number): string {
  const size = declaredBytes === undefined ? "larger than that" : `${declaredBytes} bytes`;
  return `The request body is ${size}: the API takes at most ${API_MAX_BODY_BYTES} bytes. Send less at once (e.g. split a large edit, or call checkpoint() between batches of rows).`;
}
