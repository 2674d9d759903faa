import { TRPCClientError } from "@trpc/client";

/**
 * Turns anything thrown by an API call into a sentence a person can act on:
 * the server's own message when it sent one, else what failed and what to try.
 */
export function describeError(error: unknown, action: string): string {
  if (error instanceof TRPCClientError) {
    const message = String(error.message || "").trim();
    if (isNetworkFailure(message)) {
      return `Could not ${action}: the Patchbay server did not answer (${message}). Check that it is running, then try again.`;
    }
    return `Could not ${action}: ${message || "the server returned an error without a message"}`;
  }
  if (error instanceof Error) return `Could not ${action}: ${error.message}`;
  return `Could not ${action}: ${String(error)}`;
}

function isNetworkFailure(message: string): boolean {
  return /failed to fetch|networkerror|load failed|unexpected end of json|is not valid json/i.test(message);
}
