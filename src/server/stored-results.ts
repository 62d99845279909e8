/**
 * Results kept in the embedded store until their TTL passes (the tool-result cache, the web
 * search cache), one table each, the store opened on first use (LazyStore).
 */
import { ExpiringResultsRepository } from "../store/expiring-results-repository";
import type { Store } from "../store/open-store";
import type { ExpiringResultsTable } from "../store/schema";
import { LazyStore } from "./lazy-store";

export interface StoredResultsOptions {
  ttlMs: number;
  maxEntries: number;
  /** Opens the store; throws when it cannot (the lookup then fails and the caller goes on without it). */
  openStore: () => Store;
  now?: () => number;
}

export class StoredResults {
  readonly #store: LazyStore<ExpiringResultsRepository>;
  readonly #now: () => number;

  constructor(
    table: ExpiringResultsTable,
    private readonly options: StoredResultsOptions,
  ) {
    this.#store = new LazyStore(options.openStore, (db) => new ExpiringResultsRepository(db, table));
    this.#now = options.now ?? Date.now;
  }

  /** The live result's JSON text under `key`. */
  find(key: string): string | undefined {
    return this.#store.repository()?.findLive(key, this.#now());
  }

  keep(key: string, label: string, output: string): void {
    const now = this.#now();
    this.#store.repository()?.put({ key, label, createdAt: now, expiresAt: now + this.options.ttlMs, output }, this.options.maxEntries);
  }

  close(): void {
    this.#store.close();
  }
}
