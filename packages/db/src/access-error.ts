/** Why an account, membership, token or secret operation was refused; mapped to tRPC codes in packages/api trpc.ts. */
export type AccessErrorCode = "unauthorized" | "forbidden" | "conflict" | "invalid";

/** A refusal a person can act on: its message says what to do. */
export class AccessError extends Error {
  readonly code: AccessErrorCode;
  constructor(code: AccessErrorCode, message: string) {
    super(message);
    this.name = "AccessError";
    this.code = code;
  }
}
