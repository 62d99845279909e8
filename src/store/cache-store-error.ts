/**
 * Why a CacheStore operation failed. The cache layer bypasses the cache on any of them, but
 * "the store is down" (Redis stopped, unreachable, too slow) is expected in operation and
 * logged as a warning, while anything else (a rejected command, unreadable data) is a bug or a
 * misconfiguration worth an error. Neither ever reaches a client: they are not ProxyErrors.
 */

export class CacheStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The store cannot be reached right now; the same call may succeed later without any change.
 *
 * @example
 * try {
 *   return await store.get(key, now);
 * } catch (error) {
 *   if (!(error instanceof CacheStoreUnavailableError)) throw error;
 *   logger.warn("cache store down, bypassing", { error: error.message });
 *   return undefined;
 * }
 */
export class CacheStoreUnavailableError extends CacheStoreError {}
