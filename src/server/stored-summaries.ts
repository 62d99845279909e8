/**
 * `compress` summaries in the embedded store, so a restarted server places the same summary for
 * the same cut instead of asking the summarizer again (and changing the prompt's prefix). The
 * store is opened on first use; one that cannot open leaves summaries in memory only.
 */
import type { Config } from "../config/config-schema";
import type { SummaryStore } from "../context/summarize-left-out-turns";
import type { Logger } from "../log/logger";
import { ContextSummariesRepository } from "../store/context-summaries-repository";
import type { Store } from "../store/open-store";
import { LazyStore } from "./lazy-store";

/** Summaries kept at most; each is a few kB, one per cut of a conversation. */
const MAX_SUMMARIES = 10_000;

export class StoredSummaries implements SummaryStore {
  readonly #store: LazyStore<ContextSummariesRepository>;

  constructor(
    open: () => Store,
    private readonly logger: Logger,
  ) {
    this.#store = new LazyStore(open, (db) => new ContextSummariesRepository(db));
  }

  /**
   * Undefined when the data directory cannot be used (no HOME, say): summaries then live in memory only.
   *
   * @example
   * const memo = new SummaryMemo(256, StoredSummaries.fromConfig(config, process.env, logger));
   */
  static fromConfig(config: Config, env: Record<string, string | undefined>, logger: Logger): StoredSummaries | undefined {
    const open = LazyStore.openerFor(config.paths, env, logger, "stored compress summaries");
    return open && new StoredSummaries(open, logger);
  }

  async find(key: string): Promise<string | undefined> {
    return this.#repository()?.find(key);
  }

  async put(key: string, summarizer: string, summary: string): Promise<void> {
    this.#repository()?.put({ key, summarizer, createdAt: Date.now(), summary }, MAX_SUMMARIES);
  }

  close(): void {
    this.#store.close();
  }

  /** The repository, or undefined once the store failed to open (said once in the log). */
  #repository(): ContextSummariesRepository | undefined {
    try {
      return this.#store.repository();
    } catch (error) {
      this.logger.warn("compress summaries kept in memory only: the store did not open", { error: (error as Error).message });
      return undefined;
    }
  }
}
