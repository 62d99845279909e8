/**
 * The semantic cache: answers found by the meaning of the last user turn, among entries whose
 * context (everything before that turn) is identical. SQLite holds the entries and vectors;
 * the HNSW index beside it finds the nearest ones, and a match is confirmed on the lines that
 * differ (strip-shared-lines.ts). The embedder and index load on first use, in the
 * background: that lookup is a miss, so no request waits for a model to load.
 */
import type { Message } from "../protocol/anthropic/messages";
import type { SemanticEntriesRepository } from "../store/semantic-entries-repository";
import type { SemanticQuery } from "./compute-semantic-query";
import { type LoadedSemanticIndex, loadSemanticIndex, removeSemanticIndexFiles, type SemanticIndexSource } from "./load-semantic-index";
import { stripSharedLines } from "./strip-shared-lines";

export interface SemanticCacheOptions extends SemanticIndexSource {
  repository: SemanticEntriesRepository;
  /** Least cosine similarity for a hit. */
  threshold: number;
  ttlMs: number;
  maxEntries: number;
  /** Index matches checked per lookup (nearest first) for one of this context; default 8. */
  candidates?: number;
  /** How long after a store the index file is saved, so a burst of stores writes it once; default 5 s. */
  saveDelayMs?: number;
  /** The embedder or index could not load (the semantic cache then stays off until restart), or the index could not be saved. */
  onProblem?: (message: string, error: Error) => void;
}

export interface SemanticHit {
  id: number;
  message: Message;
  bytes: number;
  similarity: number;
}

/**
 * @example
 * const semantic = new SemanticCache({ repository, createEmbedder, indexPath, cacheDir, threshold: 0.95, ttlMs: 3_600_000, maxEntries: 10_000 });
 * await semantic.store(query, message, bytes, Date.now());
 * await semantic.lookup(paraphrasedQuery, Date.now()); // { message, similarity: 0.97, … } once loaded
 */
export class SemanticCache {
  readonly #options: SemanticCacheOptions;
  #loading: Promise<LoadedSemanticIndex> | undefined;
  #loaded: LoadedSemanticIndex | undefined;
  #failure: Error | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SemanticCacheOptions) {
    this.#options = options;
  }

  /** Undefined while loading (which a first lookup starts), when off, or with no match. */
  async lookup(query: SemanticQuery, now: number): Promise<SemanticHit | undefined> {
    const loaded = this.#loaded;
    if (loaded === undefined) {
      this.#load().catch(() => {}); // reported through onProblem; for this lookup it is only a miss
      return undefined;
    }
    const { threshold, repository } = this.#options;
    const [vector] = await loaded.embedder.embed([query.text]);
    for (const match of loaded.index.search(vector!, this.#options.candidates ?? 8)) {
      if (match.similarity < threshold) break;
      const row = repository.findLive(match.id, query.contextHash, loaded.embedderId, now);
      if (row === undefined) continue;
      const similarity = await this.#confirm(loaded, query.text, row.requestText, match.similarity);
      if (similarity >= threshold) return { id: row.id, message: JSON.parse(row.message) as Message, bytes: row.bytes, similarity };
    }
    return undefined;
  }

  /** Embeds and stores an answer, waiting for the model if needed; then drops expired and least-used entries beyond the budget. */
  async store(query: SemanticQuery, message: Message, bytes: number, now: number): Promise<void> {
    const loaded = await this.#load();
    const [vector] = await loaded.embedder.embed([query.text]);
    const { repository } = this.#options;
    const id = repository.insert({
      contextHash: query.contextHash,
      embedderId: loaded.embedderId,
      requestText: query.text,
      embedding: vector!,
      message: JSON.stringify(message),
      bytes,
      createdAt: now,
      expiresAt: now + this.#options.ttlMs,
    });
    loaded.index.add(id, vector!);
    const removed = repository.deleteExpired(now);
    const excess = repository.count(loaded.embedderId) - this.#options.maxEntries;
    if (excess > 0) removed.push(...repository.deleteLeastRecentlyUsed(excess));
    for (const gone of removed) loaded.index.remove(gone);
    this.#scheduleSave();
  }

  touch(id: number, now: number): void {
    this.#options.repository.touch(id, now);
  }

  /** Entries stored, and whether the model and index are loaded. */
  stats(): { entries: number; loaded: boolean; unavailable?: string } {
    return { entries: this.#options.repository.countAll(), loaded: this.#loaded !== undefined, unavailable: this.#failure?.message };
  }

  /** Forgets every entry; the next use starts an empty index. */
  async clear(): Promise<void> {
    await this.#loading?.catch(() => undefined);
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    this.#loaded = undefined;
    this.#loading = undefined;
    this.#options.repository.deleteAll();
    removeSemanticIndexFiles(this.#options.indexPath);
  }

  /** Saves the index if it changed. */
  async close(): Promise<void> {
    clearTimeout(this.#saveTimer);
    const loaded = await this.#loading?.catch(() => undefined);
    await loaded?.index.save();
  }

  /** The similarity of what differs between the two texts, once shared template lines are set aside (see strip-shared-lines.ts). */
  async #confirm(loaded: LoadedSemanticIndex, text: string, storedText: string, similarity: number): Promise<number> {
    const [mine, theirs] = stripSharedLines(text, storedText);
    if (mine === text.trim() && theirs === storedText.trim()) return similarity;
    if (mine === "" || theirs === "") return mine === theirs ? 1 : 0; // identical, or one only adds or drops lines
    const [a, b] = await loaded.embedder.embed([mine, theirs]);
    return a!.reduce((sum, value, index) => sum + value * b![index]!, 0);
  }

  #load(): Promise<LoadedSemanticIndex> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.#loading ??= loadSemanticIndex(this.#options, this.#options.repository).then(
      (loaded) => (this.#loaded = loaded),
      (error: unknown) => {
        this.#failure = error instanceof Error ? error : new Error(String(error));
        this.#options.onProblem?.("semantic cache off until restart: its embedder or index did not load", this.#failure);
        throw this.#failure;
      },
    );
    return this.#loading;
  }

  #scheduleSave(): void {
    if (this.#saveTimer !== undefined) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#loaded?.index
        .save()
        .catch((error: unknown) =>
          this.#options.onProblem?.("could not save the semantic index; it is rebuilt at the next start", error as Error),
        );
    }, this.#options.saveDelayMs ?? 5_000);
    this.#saveTimer.unref();
  }
}
