/**
 * Results kept in the embedded store until their TTL passes (the tool-result cache, the web
 * search cache), one table each. The store is opened on first use, like the response cache's,
 * so a server that never keeps such a result holds no database for it; a store that cannot
 * open turns the results off after one failure, which the first caller reports.
 */
import { join } from "node:path";
import type { PathsConfig } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import type { Logger } from "../log/logger";
import { ExpiringResultsRepository } from "../store/expiring-results-repository";
import { openStore, STORE_FILE_NAME, type Store } from "../store/open-store";
import type { ExpiringResultsTable } from "../store/schema";

export interface StoredResultsOptions {
  ttlMs: number;
  maxEntries: number;
  /** Opens the store; throws when it cannot (the lookup then fails and the caller goes on without it). */
  openStore: () => Store;
  now?: () => number;
}

export class StoredResults {
  #store: Store | undefined;
  #repository: ExpiringResultsRepository | undefined;
  #failedToOpen = false;
  readonly #now: () => number;

  constructor(
    private readonly table: ExpiringResultsTable,
    private readonly options: StoredResultsOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * Opens the store file in the data dir; undefined (with a warning) when that dir cannot be used.
   *
   * @example
   * const open = StoredResults.openerFor(config.paths, process.env, logger);
   * const results = open && new StoredResults(searchResults, { ttlMs: 3_600_000, maxEntries: 2000, openStore: open });
   */
  static openerFor(paths: PathsConfig, env: Record<string, string | undefined>, logger: Logger): (() => Store) | undefined {
    let path: string;
    try {
      path = join(resolveDataPaths(paths, env).dataDir, STORE_FILE_NAME);
    } catch (error) {
      logger.warn("result cache off: its data directory cannot be used", { error: (error as Error).message });
      return undefined;
    }
    return () => {
      const store = openStore({ path });
      for (const warning of store.warnings) logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });
      return store;
    };
  }

  /** The live result's JSON text under `key`. */
  find(key: string): string | undefined {
    return this.#open()?.findLive(key, this.#now());
  }

  keep(key: string, label: string, output: string): void {
    const now = this.#now();
    this.#open()?.put({ key, label, createdAt: now, expiresAt: now + this.options.ttlMs, output }, this.options.maxEntries);
  }

  close(): void {
    this.#store?.close();
    this.#store = undefined;
    this.#repository = undefined;
  }

  /** Throws the first failure to open (the caller reports it); undefined from then on. */
  #open(): ExpiringResultsRepository | undefined {
    if (this.#repository || this.#failedToOpen) return this.#repository;
    try {
      this.#store = this.options.openStore();
    } catch (error) {
      this.#failedToOpen = true;
      throw error;
    }
    this.#repository = new ExpiringResultsRepository(this.#store.db, this.table);
    return this.#repository;
  }
}
