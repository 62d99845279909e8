/**
 * The exact cache's storage contract, defined in the store layer (src/store/cache-store.ts) so
 * the SQLite and Redis implementations there can name it without importing the cache layer.
 */
export type { CacheStore } from "../store/cache-store";
