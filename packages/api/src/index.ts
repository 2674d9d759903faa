export { appRouter, type AppRouter } from "./root.ts";
export type { AccountServices, ApiContext, RequestInfo, RunLauncher, RunEvent, RunEventSource, RunScope } from "./context.ts";
export { LoginRateLimiter, RateLimitedError, DEFAULT_LOGIN_LIMIT, type RateLimitOptions } from "./login-rate-limiter.ts";
export { passwordProblem, MIN_PASSWORD_LENGTH } from "./passwords.ts";
export type { AuthStatus } from "./routers/auth.ts";
export type { BridgeAnswer, BrowserRunHost, BrowserRunStart } from "./browser-run-host.ts";
export { createAccountServices } from "./accounts.ts";
export { API_MAX_BATCH_CALLS, API_MAX_BODY_BYTES, bodyTooLargeMessage } from "./limits.ts";
