import { applyGraphChanges, emptyDocument, GraphError, parseGraphDocument, type GraphChange, type GraphDocument } from "@patchbay/graph";
import type { Database } from "./database.ts";
import { newId } from "./ids.ts";
import { isoTimestamp, queryJson } from "./sql.ts";

export interface GraphSummary {
  id: string;
  title: string;
  slug: string;
  updatedAt: string;
  nodeCount: number;
}

export interface GraphRecord {
  id: string;
  workspaceId: string;
  title: string;
  slug: string;
  revision: number;
  document: GraphDocument;
}

/** Thrown for a graph that does not exist (or that the caller may not see: the same answer). */
export class NotFoundError extends Error {
  readonly code = "not_found";
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

const MAX_TITLE = 200;

/**
 * Largest graph document, in characters of JSON: what a graph.yml import may
 * bring (its files together). Without it, edit after edit grew a document
 * without end, and the server's memory about 25 times faster (every edit
 * parses and rewrites the whole document).
 */
export const MAX_DOCUMENT_CHARS = 50_000_000;

/** The document as JSON for the database, refused when it is larger than a graph may be. */
function documentJson(document: GraphDocument): string {
  const json = JSON.stringify(document);
  if (json.length > MAX_DOCUMENT_CHARS) {
    throw new GraphError(
      "document_too_large",
      `The graph would be ${(json.length / 1_000_000).toFixed(1)} million characters; a graph may hold at most ${MAX_DOCUMENT_CHARS / 1_000_000} million. Keep large data in tables, not in node code, notes or parameters.`,
    );
  }
  return json;
}

function slugify(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "graph";
}

function cleanTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw new GraphError("empty_title", "A graph needs a title.");
  if (trimmed.length > MAX_TITLE) throw new GraphError("title_too_long", `A graph title may be at most ${MAX_TITLE} characters.`);
  return trimmed;
}

/** Graphs and their documents. Every edit goes through applyGraphChanges, as in the editor. */
export class GraphRepository {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async list(workspaceId: string): Promise<GraphSummary[]> {
    return queryJson<GraphSummary>(
      this.db.prisma,
      `SELECT id, title, slug, ${isoTimestamp("updatedAt")} AS "updatedAt",
              jsonb_array_length(document->'nodes') AS "nodeCount"
         FROM "Graph" WHERE "workspaceId" = $1 ORDER BY "updatedAt" DESC`,
      workspaceId,
    );
  }

  /** Creates a graph; its slug is `preferredSlug` (or one made from the title), numbered if taken. */
  async create(workspaceId: string, title: string, document: GraphDocument = emptyDocument(), preferredSlug?: string): Promise<{ id: string; slug: string }> {
    const clean = cleanTitle(title);
    const doc = parseGraphDocument(document);
    const base = slugify(preferredSlug ?? clean);
    const taken = new Set(
      (await this.db.prisma.graph.findMany({ where: { workspaceId, slug: { startsWith: base } }, select: { slug: true } })).map((g) => g.slug),
    );
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    const id = newId();
    await this.db.prisma.$executeRawUnsafe(
      `INSERT INTO "Graph" (id, "workspaceId", title, slug, document, "updatedAt") VALUES ($1, $2, $3, $4, $5::jsonb, now())`,
      id,
      workspaceId,
      clean,
      slug,
      documentJson(doc),
    );
    return { id, slug };
  }

  /**
   * The graph an id or slug names in a workspace, without reading its document:
   * what most API calls need to check access. A graph of another workspace is
   * not found, exactly like a missing one.
   */
  async findInWorkspace(idOrSlug: string, workspaceId: string): Promise<{ id: string }> {
    const row = await this.db.prisma.graph.findFirst({ where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }], workspaceId }, select: { id: true } });
    if (!row) throw new NotFoundError(`No graph "${idOrSlug}".`);
    return row;
  }

  async get(id: string, workspaceId?: string): Promise<GraphRecord> {
    const row = await this.db.prisma.graph.findFirst({
      where: { OR: [{ id }, { slug: id }], ...(workspaceId ? { workspaceId } : {}) },
      select: { id: true, workspaceId: true, title: true, slug: true, revision: true, document: true },
    });
    if (!row) throw new NotFoundError(`No graph "${id}".`);
    return { ...row, document: parseGraphDocument(row.document) };
  }

  async rename(id: string, title: string): Promise<void> {
    const clean = cleanTitle(title);
    const updated = await this.db.prisma.graph.updateMany({ where: { id }, data: { title: clean } });
    if (updated.count === 0) throw new NotFoundError(`No graph "${id}".`);
  }

  /** How many of the graph's nodes may run at once (null: no limit but the workers'). */
  async setConcurrency(id: string, concurrency: number | null): Promise<void> {
    const updated = await this.db.prisma.$executeRawUnsafe(
      `UPDATE "Graph" SET settings = CASE WHEN $2::int IS NULL THEN settings - 'concurrency' ELSE jsonb_set(settings, '{concurrency}', to_jsonb($2::int)) END WHERE id = $1`,
      id,
      concurrency,
    );
    if (updated === 0) throw new NotFoundError(`No graph "${id}".`);
  }

  async concurrencyOf(id: string): Promise<number | null> {
    const rows = await queryJson<{ limit: number | null }>(
      this.db.prisma,
      `SELECT CASE WHEN jsonb_typeof(settings->'concurrency') = 'number' THEN (settings->>'concurrency')::numeric::int END AS "limit" FROM "Graph" WHERE id = $1`,
      id,
    );
    return rows[0]?.limit ?? null;
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.db.prisma.graph.deleteMany({ where: { id } });
    if (deleted.count === 0) throw new NotFoundError(`No graph "${id}".`);
  }

  /** Applies a batch of changes atomically: all of them, or none when one is invalid. */
  async applyChanges(id: string, changes: readonly GraphChange[]): Promise<{ revision: number; document: GraphDocument }> {
    return this.db.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<{ document: unknown; revision: number }[]>(
        `SELECT document, revision FROM "Graph" WHERE id = $1 FOR UPDATE`,
        id,
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`No graph "${id}".`);
      const document = applyGraphChanges(parseGraphDocument(row.document), changes);
      const revision = row.revision + 1;
      await tx.$executeRawUnsafe(
        `UPDATE "Graph" SET document = $2::jsonb, revision = $3, "updatedAt" = now() WHERE id = $1`,
        id,
        documentJson(document),
        revision,
      );
      return { revision, document };
    });
  }
}
