import { randomBytes } from "node:crypto";
import { newId, SecretBox, type Database, type Role } from "@patchbay/db";
import { createAccountServices } from "./accounts.ts";
import type { ApiContext } from "./context.ts";

/**
 * For API tests that call procedures without a server (appRouter.createCaller):
 * a context whose caller is a real user, signed in with a real session, who is
 * a member of `workspaceId` with `role`.
 */
export async function memberContext(
  db: Database,
  workspaceId: string,
  role: Role,
  services: Omit<ApiContext, "db" | "accounts" | "request">,
): Promise<ApiContext> {
  const accounts = createAccountServices(db, new SecretBox(randomBytes(32)));
  const user = await accounts.users.create(`member-${newId().toLowerCase()}@example.test`, "not-a-usable-password-hash");
  await accounts.memberships.add(user.id, workspaceId, role);
  const { token } = await accounts.sessions.create(user.id);
  return {
    ...services,
    db,
    accounts,
    request: { sessionToken: token, bearerToken: null, workspaceId: null, ip: "127.0.0.1", setSessionCookie() {}, clearSessionCookie() {} },
  };
}
