/**
 * The web search result cache in the embedded store (search_results): an answer kept under the
 * searcher's key, with the provider that gave it, until `search.cache.ttlSeconds` pass.
 */
import type { CachedSearch, SearchResultCache } from "../search/web-searcher";
import { searchResults } from "../store/schema";
import { StoredResults, type StoredResultsOptions } from "./stored-results";

export class StoredSearchResultCache implements SearchResultCache {
  readonly #results: StoredResults;

  /**
   * @example
   * const cache = new StoredSearchResultCache({ ttlMs: 3_600_000, maxEntries: 2000, openStore: () => openStore({ path }) });
   */
  constructor(options: StoredResultsOptions) {
    this.#results = new StoredResults(searchResults, options);
  }

  async get(key: string): Promise<CachedSearch | undefined> {
    const text = this.#results.find(key);
    return text === undefined ? undefined : (JSON.parse(text) as CachedSearch);
  }

  async put(key: string, answer: CachedSearch): Promise<void> {
    this.#results.keep(key, answer.provider, JSON.stringify(answer));
  }

  close(): void {
    this.#results.close();
  }
}
