import { GraphError, parseGraphDocument, type GraphDocument } from "@patchbay/graph";
import type { Database } from "./database.ts";
import { NotFoundError } from "./graph-repository.ts";
import { newId } from "./ids.ts";
import { isoTimestamp, queryJson } from "./sql.ts";

export interface GraphVersionSummary {
  id: string;
  message: string;
  createdAt: string;
  nodeCount: number;
}

export interface GraphVersionRecord extends GraphVersionSummary {
  document: GraphDocument;
}

const MAX_MESSAGE = 500;
/** Enough for any real history; older versions stay stored, only the list is cut. */
const MAX_LISTED = 500;

/** Named, immutable snapshots of a graph's document. Restoring one is a graph change, not done here. */
export class GraphVersionRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** Snapshots the graph's current (saved) document under a message. */
  async create(graphId: string, message: string): Promise<GraphVersionSummary> {
    const clean = message.trim();
    if (!clean) throw new GraphError("empty_version_message", "A version needs a name, e.g. \"before the new import\".");
    if (clean.length > MAX_MESSAGE) throw new GraphError("version_message_too_long", `A version name may be at most ${MAX_MESSAGE} characters.`);
    const id = newId();
    // Copied inside the database, so the snapshot is exactly what is saved at this moment.
    const inserted = await this.db.prisma.$executeRawUnsafe(
      `INSERT INTO "GraphVersion" (id, "graphId", message, document) SELECT $1, id, $3, document FROM "Graph" WHERE id = $2`,
      id,
      graphId,
      clean,
    );
    if (inserted === 0) throw new NotFoundError(`No graph "${graphId}".`);
    const [summary] = await this.summaries(graphId, id);
    if (!summary) throw new NotFoundError(`No version "${id}".`);
    return summary;
  }

  /** The graph's versions, newest first. */
  async list(graphId: string): Promise<GraphVersionSummary[]> {
    return this.summaries(graphId, null);
  }

  async get(graphId: string, versionId: string): Promise<GraphVersionRecord> {
    const row = await this.db.prisma.graphVersion.findFirst({
      where: { id: versionId, graphId },
      select: { id: true, message: true, document: true, createdAt: true },
    });
    if (!row) throw new NotFoundError(`No version "${versionId}" of this graph.`);
    const document = parseGraphDocument(row.document);
    return { id: row.id, message: row.message, createdAt: row.createdAt.toISOString(), nodeCount: document.nodes.length, document };
  }

  private summaries(graphId: string, versionId: string | null): Promise<GraphVersionSummary[]> {
    return queryJson<GraphVersionSummary>(
      this.db.prisma,
      `SELECT id, message, ${isoTimestamp("createdAt")} AS "createdAt",
              jsonb_array_length(document->'nodes') AS "nodeCount"
         FROM "GraphVersion" WHERE "graphId" = $1 AND ($2::text IS NULL OR id = $2)
        ORDER BY id DESC LIMIT ${MAX_LISTED}`,
      graphId,
      versionId,
    );
  }
}
