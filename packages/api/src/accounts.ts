import {
  ApiTokenRepository,
  InviteRepository,
  MembershipRepository,
  SecretRepository,
  SessionRepository,
  UserRepository,
  WorkspaceRepository,
  type Database,
  type SecretBox,
} from "@patchbay/db";
import type { AccountServices } from "./context.ts";
import { DEFAULT_LOGIN_LIMIT, LoginRateLimiter, type RateLimitOptions } from "./login-rate-limiter.ts";

/** The account services of one process, over one database and secret key. */
export function createAccountServices(db: Database, secretBox: SecretBox, loginLimit: RateLimitOptions = DEFAULT_LOGIN_LIMIT): AccountServices {
  return {
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    memberships: new MembershipRepository(db),
    workspaces: new WorkspaceRepository(db),
    tokens: new ApiTokenRepository(db),
    invites: new InviteRepository(db),
    secrets: new SecretRepository(db, secretBox),
    loginLimiter: new LoginRateLimiter(db, loginLimit),
  };
}
