/**
 * Reads and writes the semantic cache's rows: answers found by embedding similarity. The HNSW
 * index holds only ids and vectors; this table holds the truth (the answer, its context hash,
 * its expiry) and the vectors to rebuild the index from. Deletions return the ids they removed
 * so the caller can take them out of the index too.
 */
import { and, asc, count, eq, gt, lte, ne, sql } from "drizzle-orm";
import { decodeEmbeddingBlob, encodeEmbeddingBlob } from "./embedding-blob";
import type { StoreDatabase } from "./open-store";
import { semanticEntries } from "./schema";

export interface NewSemanticEntry {
  contextHash: string;
  embedderId: string;
  /** What was embedded. */
  requestText: string;
  embedding: Float32Array;
  /** The answer, as JSON text. */
  message: string;
  bytes: number;
  createdAt: number;
  expiresAt: number;
}

export interface SemanticAnswer {
  id: number;
  /** What was embedded for this answer, so a match can be checked against the new text. */
  requestText: string;
  message: string;
  bytes: number;
  createdAt: number;
  expiresAt: number;
}

const id = sql.placeholder("id");
const now = sql.placeholder("now");
const embedderId = sql.placeholder("embedderId");

function prepareStatements(db: StoreDatabase) {
  const answerColumns = {
    id: semanticEntries.id,
    requestText: semanticEntries.requestText,
    message: semanticEntries.message,
    bytes: semanticEntries.bytes,
    createdAt: semanticEntries.createdAt,
    expiresAt: semanticEntries.expiresAt,
  };
  return {
    findLive: db
      .select(answerColumns)
      .from(semanticEntries)
      .where(
        and(
          eq(semanticEntries.id, id),
          eq(semanticEntries.contextHash, sql.placeholder("contextHash")),
          eq(semanticEntries.embedderId, embedderId),
          gt(semanticEntries.expiresAt, now),
        ),
      )
      .prepare(),
    touch: db
      .update(semanticEntries)
      .set({ lastUsedAt: sql`max(${semanticEntries.lastUsedAt}, ${sql.placeholder("at")})` })
      .where(eq(semanticEntries.id, id))
      .prepare(),
    embeddingsAfter: db
      .select({ id: semanticEntries.id, embedding: semanticEntries.embedding })
      .from(semanticEntries)
      .where(and(eq(semanticEntries.embedderId, embedderId), gt(semanticEntries.id, sql.placeholder("afterId"))))
      .orderBy(asc(semanticEntries.id))
      .limit(sql.placeholder("limit"))
      .prepare(),
    countFor: db.select({ count: count() }).from(semanticEntries).where(eq(semanticEntries.embedderId, embedderId)).prepare(),
    countAll: db.select({ count: count() }).from(semanticEntries).prepare(),
    deleteExpired: db.delete(semanticEntries).where(lte(semanticEntries.expiresAt, now)).returning({ id: semanticEntries.id }).prepare(),
    deleteLeastRecentlyUsed: db
      .delete(semanticEntries)
      .where(
        sql`${semanticEntries.id} IN (SELECT ${semanticEntries.id} FROM ${semanticEntries} ORDER BY ${semanticEntries.lastUsedAt} LIMIT ${sql.placeholder("limit")})`,
      )
      .returning({ id: semanticEntries.id })
      .prepare(),
    deleteOtherEmbedders: db
      .delete(semanticEntries)
      .where(ne(semanticEntries.embedderId, embedderId))
      .returning({ id: semanticEntries.id })
      .prepare(),
  };
}

/**
 * @example
 * const semantic = new SemanticEntriesRepository(store.db);
 * const id = semantic.insert({ contextHash, embedderId: embedder.id, requestText, embedding, message, bytes, createdAt: now, expiresAt });
 * index.add(id, embedding);
 * semantic.findLive(match.id, contextHash, embedder.id, Date.now()); // the answer, if still valid for this context
 */
export class SemanticEntriesRepository {
  readonly #db: StoreDatabase;
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  /** Returns the new id, the entry's label in the vector index. */
  insert(entry: NewSemanticEntry): number {
    const [row] = this.#db
      .insert(semanticEntries)
      .values({ ...entry, embedding: Buffer.from(encodeEmbeddingBlob(entry.embedding)), lastUsedAt: entry.createdAt })
      .returning({ id: semanticEntries.id })
      .all();
    return row!.id;
  }

  /** The answer behind an index match, only if it belongs to this context and embedder and has not expired. */
  findLive(id: number, contextHash: string, embedderId: string, now: number): SemanticAnswer | undefined {
    return this.#statements.findLive.get({ id, contextHash, embedderId, now });
  }

  touch(id: number, at: number): void {
    this.#statements.touch.run({ id, at });
  }

  /** One page of an embedder's vectors in id order, for rebuilding the index: pass the last id seen. */
  listEmbeddings(embedderId: string, afterId: number, limit: number): Array<{ id: number; embedding: Float32Array }> {
    return this.#statements.embeddingsAfter
      .all({ embedderId, afterId, limit })
      .map((row) => ({ id: row.id, embedding: decodeEmbeddingBlob(row.embedding) }));
  }

  count(embedderId: string): number {
    return this.#statements.countFor.get({ embedderId })?.count ?? 0;
  }

  /** Every entry, whatever model embedded it: what `cache stats` reports before the embedder is loaded. */
  countAll(): number {
    return this.#statements.countAll.get()?.count ?? 0;
  }

  deleteExpired(now: number): number[] {
    return this.#statements.deleteExpired.all({ now }).map((row) => row.id);
  }

  deleteLeastRecentlyUsed(limit: number): number[] {
    return this.#statements.deleteLeastRecentlyUsed.all({ limit }).map((row) => row.id);
  }

  /** Vectors of another model cannot be compared with this one's; their answers go with them. */
  deleteOtherEmbedders(embedderId: string): number[] {
    return this.#statements.deleteOtherEmbedders.all({ embedderId }).map((row) => row.id);
  }

  delete(id: number): void {
    this.#db.delete(semanticEntries).where(eq(semanticEntries.id, id)).run();
  }

  deleteAll(): void {
    this.#db.delete(semanticEntries).run();
  }
}
