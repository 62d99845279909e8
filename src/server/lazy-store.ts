/**
 * A repository over the embedded store, opened on first use: a server that never keeps such
 * rows holds no database for them. A store that cannot open is tried once: the first caller
 * gets the failure to report, later ones find the repository off.
 */
import { join } from "node:path";
import type { PathsConfig } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import type { Logger } from "../log/logger";
import { openStore, STORE_FILE_NAME, type Store } from "../store/open-store";

export class LazyStore<Repository> {
  #store: Store | undefined;
  #repository: Repository | undefined;
  #failedToOpen = false;

  constructor(
    private readonly open: () => Store,
    private readonly createRepository: (db: Store["db"]) => Repository,
  ) {}

  /**
   * Opens the store file in the data dir, its warnings logged; undefined (said in a warning) when
   * that dir cannot be used.
   *
   * @example
   * const open = LazyStore.openerFor(config.paths, process.env, logger, "result cache");
   * const results = open && new LazyStore(open, (db) => new ExpiringResultsRepository(db, searchResults));
   */
  static openerFor(paths: PathsConfig, env: Record<string, string | undefined>, logger: Logger, what: string): (() => Store) | undefined {
    let path: string;
    try {
      path = join(resolveDataPaths(paths, env).dataDir, STORE_FILE_NAME);
    } catch (error) {
      logger.warn(`${what} off: its data directory cannot be used`, { error: (error as Error).message });
      return undefined;
    }
    return () => {
      const store = openStore({ path });
      for (const warning of store.warnings) logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });
      return store;
    };
  }

  /**
   * @throws the first failure to open; undefined from then on.
   * @example
   * lazy.repository()?.findLive(key, Date.now());
   */
  repository(): Repository | undefined {
    if (this.#repository !== undefined || this.#failedToOpen) return this.#repository;
    try {
      this.#store = this.open();
    } catch (error) {
      this.#failedToOpen = true;
      throw error;
    }
    this.#repository = this.createRepository(this.#store.db);
    return this.#repository;
  }

  close(): void {
    this.#store?.close();
    this.#store = undefined;
    this.#repository = undefined;
  }
}
