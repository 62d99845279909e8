/**
 * `compress` summaries in the embedded store, so a restarted server places the same summary for
 * the same cut instead of asking the summarizer again (and changing the prompt's prefix). The
 * store is opened on first use; one that cannot open leaves summaries in memory only.
 */
import { join } from "node:path";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import type { SummaryStore } from "../context/summarize-left-out-turns";
import type { Logger } from "../log/logger";
import { ContextSummariesRepository } from "../store/context-summaries-repository";
import { openStore, STORE_FILE_NAME, type Store } from "../store/open-store";

/** Summaries kept at most; each is a few kB, one per cut of a conversation. */
const MAX_SUMMARIES = 10_000;

export class StoredSummaries implements SummaryStore {
  #store: Store | undefined;
  #repository: ContextSummariesRepository | undefined;
  #failed = false;

  constructor(
    private readonly open: () => Store,
    private readonly logger: Logger,
  ) {}

  /**
   * Undefined when the data directory cannot be used (no HOME, say): summaries then live in memory only.
   *
   * @example
   * const memo = new SummaryMemo(256, StoredSummaries.fromConfig(config, process.env, logger));
   */
  static fromConfig(config: Config, env: Record<string, string | undefined>, logger: Logger): StoredSummaries | undefined {
    let path: string;
    try {
      path = join(resolveDataPaths(config.paths, env).dataDir, STORE_FILE_NAME);
    } catch (error) {
      logger.debug("compress summaries kept in memory only: no data directory", { error: (error as Error).message });
      return undefined;
    }
    return new StoredSummaries(() => {
      const store = openStore({ path });
      for (const warning of store.warnings) logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });
      return store;
    }, logger);
  }

  async find(key: string): Promise<string | undefined> {
    return this.#open()?.find(key);
  }

  async put(key: string, summarizer: string, summary: string): Promise<void> {
    this.#open()?.put({ key, summarizer, createdAt: Date.now(), summary }, MAX_SUMMARIES);
  }

  close(): void {
    this.#store?.close();
    this.#store = undefined;
    this.#repository = undefined;
  }

  /** The repository, or undefined once the store failed to open (said once in the log). */
  #open(): ContextSummariesRepository | undefined {
    if (this.#repository || this.#failed) return this.#repository;
    try {
      this.#store = this.open();
    } catch (error) {
      this.#failed = true;
      this.logger.warn("compress summaries kept in memory only: the store did not open", { error: (error as Error).message });
      return undefined;
    }
    this.#repository = new ContextSummariesRepository(this.#store.db);
    return this.#repository;
  }
}
