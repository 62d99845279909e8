/**
 * The response cache, opened on its first use rather than at start-up: an anyclaude that has
 * not served anything yet holds no database, no drizzle and no page cache (about 4 MB of its
 * 60 MB idle budget), and starts listening without touching the data dir. If the cache cannot
 * open then, requests go on without it (`bypass`), as when a store fails later.
 */
import type { ResponseCache } from "../cache/response-cache";
import type { CacheLookup, CacheTicket, ResponseCacheStats } from "../cache/response-cache-types";
import type { MessageCreateParams, Message } from "../protocol/anthropic/messages";
import type { CacheDirective } from "../cache/read-cache-directive";

export type ResponseCacheLike = Pick<ResponseCache, "lookup" | "remember" | "whenIdle" | "stats" | "clear" | "close">;

export class DeferredResponseCache implements ResponseCacheLike {
  #opened: ResponseCache | undefined;
  #tried = false;

  /** `open` returns undefined when the cache cannot be used (it logs why). */
  constructor(private readonly open: () => ResponseCache | undefined) {}

  lookup(request: MessageCreateParams, resolvedTarget: string, directive: CacheDirective): Promise<CacheLookup> {
    const cache = this.#cache();
    return cache ? cache.lookup(request, resolvedTarget, directive) : Promise.resolve({ outcome: "bypass", key: "" });
  }

  remember(ticket: CacheTicket, message: Message): void {
    this.#cache()?.remember(ticket, message);
  }

  async whenIdle(): Promise<void> {
    await this.#opened?.whenIdle();
  }

  async stats(): Promise<ResponseCacheStats> {
    const cache = this.#cache();
    if (!cache) throw new Error("the response cache could not be opened (see the log)");
    return cache.stats();
  }

  async clear(): Promise<void> {
    await this.#cache()?.clear();
  }

  async close(): Promise<void> {
    await this.#opened?.close();
  }

  #cache(): ResponseCache | undefined {
    if (!this.#tried) {
      this.#tried = true;
      this.#opened = this.open();
    }
    return this.#opened;
  }
}
