/**
 * The response cache, opened on its first use rather than at start-up, modules and all: an
 * anyclaude that has not served anything yet holds no database, no page cache and none of the
 * store's, drizzle's or the embedder's code (8 MB of a source run's idle memory, 2-3 MB of the
 * binary's), and starts listening without touching the data dir. If the cache cannot open then,
 * requests go on without it (`bypass`, counted like any other), as when a store fails later.
 */

import type { CacheDirective } from "../cache/read-cache-directive";
import type { ResponseCache } from "../cache/response-cache";
import type { CacheLookup, CacheTicket, ResponseCacheStats } from "../cache/response-cache-types";
import type { Message, MessageCreateParams } from "../protocol/anthropic/messages";

export type ResponseCacheLike = Pick<ResponseCache, "lookup" | "remember" | "whenIdle" | "stats" | "clear" | "close">;

export class DeferredResponseCache implements ResponseCacheLike {
  #opening: Promise<ResponseCache | undefined> | undefined;
  #opened: ResponseCache | undefined;

  /**
   * `open` resolves to undefined when the cache cannot be used (it logs why); `onBypass` is told
   * of each lookup answered without it.
   */
  constructor(
    private readonly open: () => Promise<ResponseCache | undefined>,
    private readonly onBypass: () => void = () => {},
  ) {}

  async lookup(request: MessageCreateParams, resolvedTarget: string, directive: CacheDirective): Promise<CacheLookup> {
    const cache = await this.#cache();
    if (cache) return cache.lookup(request, resolvedTarget, directive);
    this.onBypass();
    return { outcome: "bypass", key: "" };
  }

  /** A ticket comes from a lookup, which opened the cache. */
  remember(ticket: CacheTicket, message: Message): void {
    this.#opened?.remember(ticket, message);
  }

  async whenIdle(): Promise<void> {
    await this.#opened?.whenIdle();
  }

  async stats(): Promise<ResponseCacheStats> {
    const cache = await this.#cache();
    if (!cache) throw new Error("the response cache could not be opened (see the log)");
    return cache.stats();
  }

  async clear(): Promise<void> {
    await (await this.#cache())?.clear();
  }

  async close(): Promise<void> {
    // A cache still opening is closed once open, so no store is left behind.
    await (await this.#opening)?.close();
  }

  #cache(): Promise<ResponseCache | undefined> {
    this.#opening ??= this.open().then((cache) => (this.#opened = cache));
    return this.#opening;
  }
}
