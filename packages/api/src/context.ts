import type {
  ApiTokenRepository,
  Database,
  GraphRepository,
  InviteRepository,
  MembershipRepository,
  NodeRunRecord,
  RunRepository,
  SecretRepository,
  SessionRepository,
  UserRepository,
  WebhookRepository,
  WorkspaceRepository,
} from "@patchbay/db";
import type { LoginRateLimiter } from "./login-rate-limiter.ts";
import type { BrowserRunHost } from "./browser-run-host.ts";

export type RunScope = "node" | "downstream" | "graph";

/** Starts runs; implemented by the server (queue, workers). */
export interface RunLauncher {
  start(request: { graphId: string; nodeId: string | null; scope: RunScope; startedBy: string | null }): Promise<{ runId: string }>;
  cancel(runId: string): Promise<void>;
}

export type RunEvent = { type: "nodeRun"; nodeRun: NodeRunRecord };

/** Live run events of one graph, as an async stream that ends when `signal` aborts. */
export interface RunEventSource {
  subscribe(graphId: string, signal: AbortSignal | undefined): AsyncIterable<RunEvent>;
}

/** Accounts, sessions, memberships, tokens and secrets: opened once per process. */
export interface AccountServices {
  users: UserRepository;
  sessions: SessionRepository;
  memberships: MembershipRepository;
  workspaces: WorkspaceRepository;
  tokens: ApiTokenRepository;
  invites: InviteRepository;
  secrets: SecretRepository;
  loginLimiter: LoginRateLimiter;
}

/**
 * What the HTTP layer (apps/server http/) read from one request, and what it
 * lets the API do to the response. Kept free of Node's http types so the
 * procedures stay testable without a server.
 */
export interface RequestInfo {
  /** The session token from the session cookie, if any. */
  sessionToken: string | null;
  /** The token of an `Authorization: Bearer …` header, if any. */
  bearerToken: string | null;
  /** The workspace the client picked (x-patchbay-workspace header), if any; else the caller's first. */
  workspaceId: string | null;
  /** The client's address, for rate limits. */
  ip: string;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
}

/**
 * What every procedure gets: the request and the services it may use. The
 * caller's user, workspace and role are added by the procedures of trpc.ts.
 */
export interface ApiContext {
  db: Database;
  graphs: GraphRepository;
  runs: RunRepository;
  launcher: RunLauncher;
  events: RunEventSource;
  webhooks: WebhookRepository;
  accounts: AccountServices;
  request: RequestInfo;
  /** Called after a graph was changed or deleted (keeps its schedules in step). */
  afterGraphChange(graphId: string): Promise<void>;
  /** Node runs in the user's browser; absent where the server does not offer them. */
  browserRuns?: BrowserRunHost;
}
