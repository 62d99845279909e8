/**
 * The response cache, opened on its first use rather than at start-up, modules and all: an
 * anyclaude that has not served anything yet holds no database, no page cache and none of the
 * store's, drizzle's or the embedder's code (8 MB of a source run's idle memory, 2-3 MB of the
 * binary's), and starts listening without touching the data dir. If the cache cannot open then
 * (a read-only or missing data dir), requests go on without it (`bypass`, counted like any other),
 * and the next lookup after `reopenAfterMs` tries again, so the cache comes back with the disk.
 */

import type { CacheDirective } from "../cache/read-cache-directive";
import type { ResponseCache } from "../cache/response-cache";
import type { CacheLookup, CacheTicket, ResponseCacheStats } from "../cache/response-cache-types";
import type { Message, MessageCreateParams } from "../protocol/anthropic/messages";

export type ResponseCacheLike = Pick<ResponseCache, "lookup" | "remember" | "whenIdle" | "stats" | "clear" | "close">;

export interface DeferredResponseCacheOptions {
  /** Told of each lookup answered without the cache. */
  onBypass?: () => void;
  /** After a failed open, the wait before a lookup tries again; default 30 s. */
  reopenAfterMs?: number;
  now?: () => number;
}

export class DeferredResponseCache implements ResponseCacheLike {
  #opening: Promise<ResponseCache | undefined> | undefined;
  #opened: ResponseCache | undefined;
  #failedAt: number | undefined;

  /** `open` resolves to undefined when the cache cannot be used (it logs why). */
  constructor(
    private readonly open: () => Promise<ResponseCache | undefined>,
    private readonly options: DeferredResponseCacheOptions = {},
  ) {}

  async lookup(request: MessageCreateParams, resolvedTarget: string, directive: CacheDirective): Promise<CacheLookup> {
    const cache = await this.#cache();
    if (cache) return cache.lookup(request, resolvedTarget, directive);
    this.options.onBypass?.();
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
    const now = this.options.now ?? Date.now;
    if (this.#failedAt !== undefined && now() - this.#failedAt >= (this.options.reopenAfterMs ?? 30_000)) {
      this.#failedAt = undefined;
      this.#opening = undefined;
    }
    this.#opening ??= this.open().then((cache) => {
      this.#opened = cache;
      if (!cache) this.#failedAt = now();
      return cache;
    });
    return this.#opening;
  }
}
