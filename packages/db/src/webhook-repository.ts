import { randomBytes } from "node:crypto";
import type { Database } from "./database.ts";
import { queryJson } from "./sql.ts";

export interface WebhookRecord {
  token: string;
  graphId: string;
  nodeId: string;
}

/** The secret URLs of Webhook nodes: one unguessable token per node. */
export class WebhookRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** Gives each of the graph's webhook nodes a token and drops the tokens of removed nodes. */
  async sync(graphId: string, webhookNodeIds: readonly string[]): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`DELETE FROM "Webhook" WHERE "graphId" = $1 AND NOT ("nodeId" = ANY($2::text[]))`, graphId, [...webhookNodeIds]);
      for (const nodeId of webhookNodeIds) {
        await tx.$executeRawUnsafe(
          `INSERT INTO "Webhook" (token, "graphId", "nodeId") VALUES ($1, $2, $3) ON CONFLICT ("graphId", "nodeId") DO NOTHING`,
          randomBytes(24).toString("base64url"),
          graphId,
          nodeId,
        );
      }
    });
  }

  async list(graphId: string): Promise<WebhookRecord[]> {
    return queryJson<WebhookRecord>(this.db.prisma, `SELECT token, "graphId", "nodeId" FROM "Webhook" WHERE "graphId" = $1 ORDER BY "nodeId"`, graphId);
  }

  async find(token: string): Promise<WebhookRecord | null> {
    const rows = await queryJson<WebhookRecord>(this.db.prisma, `SELECT token, "graphId", "nodeId" FROM "Webhook" WHERE token = $1`, token);
    return rows[0] ?? null;
  }
}
