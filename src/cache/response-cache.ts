/**
 * The response cache as the request path sees it: one lookup before dispatch (exact key, then
 * meaning when the request qualifies) and one `remember` after a complete answer, which writes
 * in the background. A store that fails never fails a request: the lookup counts as a bypass,
 * the failure is counted, and logged once per outage.
 */
import type { CacheStoreName } from "../config/config-choices";
import type { ConversationMemo } from "../json/conversation-memo";
import type { Message, MessageCreateParams } from "../protocol/anthropic/messages";
import { CacheStoreUnavailableError } from "../store/cache-store-error";
import type { CacheCounter, CacheMetricsRecorder } from "./cache-metrics-recorder";
import type { CacheStore } from "./cache-store";
import { hashSerializedRequest } from "./compute-exact-cache-key";
import { classifySemanticRequest, computeSemanticQuery, type SemanticQuery, type SemanticRequestKind } from "./compute-semantic-query";
import { isCacheableAnswer } from "./is-cacheable-answer";
import type { CacheDirective } from "./read-cache-directive";
import type { CacheLookup, CacheOutcome, CacheTicket, ResponseCacheObserver, ResponseCacheStats } from "./response-cache-types";
import type { SemanticCache } from "./semantic-cache";
import { serializeRequestForCache } from "./serialize-request-for-cache";

export type { CacheLookup, CacheTicket, ResponseCacheObserver, ResponseCacheStats } from "./response-cache-types";

export interface ResponseCacheOptions {
  exact?: { store: CacheStore; name: CacheStoreName; ttlMs: number };
  semantic?: { cache: SemanticCache; kinds: ReadonlySet<SemanticRequestKind> };
  recorder: CacheMetricsRecorder;
  observer: ResponseCacheObserver;
  now?: () => number;
  /** Releases what the cache was built on (the SQLite file), after every pending write. */
  release?: () => void;
  /** Where the key's parts for resent (frozen) tools, system prompt and messages are remembered. */
  memo?: ConversationMemo;
}

const OUTCOME_COUNTER: Readonly<Record<CacheOutcome, CacheCounter>> = {
  hit: "hits",
  semantic: "semanticHits",
  miss: "misses",
  bypass: "bypasses",
};

/**
 * @example
 * const lookup = await cache.lookup(normalized, "llama/qwen3", readCacheDirective(headers, decision, []));
 * if (lookup.message) return replay(lookup.message);
 * // … after a complete answer:
 * if (lookup.ticket) cache.remember(lookup.ticket, message);
 */
export class ResponseCache {
  readonly #options: ResponseCacheOptions;
  readonly #now: () => number;
  readonly #pending = new Set<Promise<void>>();
  /**
   * Operations failing now. An outage is over when each has worked again: on a full disk lookups
   * still work while every write fails, and a lookup must not end the outage (one warning a request).
   */
  readonly #failing = new Set<string>();

  constructor(options: ResponseCacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async lookup(request: MessageCreateParams, resolvedTarget: string, directive: CacheDirective): Promise<CacheLookup> {
    const started = performance.now();
    const serialized = serializeRequestForCache(request, this.#options.memo);
    const key = hashSerializedRequest(serialized, resolvedTarget);
    const semantic = this.#options.semantic;
    const semanticQuery = semantic?.kinds.has(classifySemanticRequest(request))
      ? computeSemanticQuery(request, serialized, resolvedTarget)
      : undefined;
    const { exact } = this.#options;
    const ticket: CacheTicket = { key, exact: exact !== undefined, semanticQuery };
    if (!directive.lookup) return this.#finish(started, { outcome: "bypass", key, ticket: directive.store ? ticket : undefined }, false);

    const now = this.#now();
    let storeFailed = false;
    if (exact) {
      try {
        const stored = await exact.store.get(key, now);
        this.#storeAnswered("get");
        if (stored) return this.#finish(started, { outcome: "hit", key, message: stored.message, bytes: stored.bytes }, true);
      } catch (error) {
        this.#storeFailed("get", error);
        storeFailed = true;
        ticket.exact = false; // a store that just failed would only fail again, after its timeout
      }
    }
    if (semanticQuery && semantic) {
      try {
        const hit = await semantic.cache.lookup(semanticQuery, now);
        if (hit) {
          this.#inBackground(async () => semantic.cache.touch(hit.id, now));
          return this.#finish(
            started,
            { outcome: "semantic", key, message: hit.message, bytes: hit.bytes, similarity: hit.similarity },
            true,
          );
        }
      } catch (error) {
        this.#options.observer.onProblem("semantic lookup failed; answering without it", error);
      }
    }
    return this.#finish(started, { outcome: storeFailed ? "bypass" : "miss", key, ticket }, true);
  }

  /** Stores a complete answer off the request path, if it is one worth replaying. */
  remember(ticket: CacheTicket, message: Message): void {
    if (!isCacheableAnswer(message)) return;
    this.#inBackground(async () => {
      const json = JSON.stringify(message);
      const bytes = Buffer.byteLength(json);
      const now = this.#now();
      const { exact, semantic } = this.#options;
      if (exact && ticket.exact) {
        try {
          await exact.store.put({ key: ticket.key, message, bytes, createdAt: now, expiresAt: now + exact.ttlMs });
          this.#storeAnswered("put");
        } catch (error) {
          this.#storeFailed("put", error);
        }
      }
      if (semantic && ticket.semanticQuery) await this.#rememberMeaning(semantic.cache, ticket.semanticQuery, message, bytes, now);
    });
  }

  /** Resolves once every background write started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async stats(): Promise<ResponseCacheStats> {
    const { exact, semantic, recorder } = this.#options;
    let entries: ResponseCacheStats["exact"];
    try {
      entries = exact ? await exact.store.stats() : undefined;
    } catch (error) {
      entries = { error: (error as Error).message };
    }
    const today = new Date(this.#now()).toISOString().slice(0, 10);
    return {
      store: exact?.name,
      exact: entries,
      semantic: semantic?.cache.stats(),
      counters: { total: recorder.read(), today: recorder.read({ fromDay: today }) },
    };
  }

  async clear(): Promise<void> {
    await this.whenIdle();
    await this.#options.exact?.store.clear();
    await this.#options.semantic?.cache.clear();
  }

  /**
   * Never throws: on a full or read-only disk the last writes fail (the store keeps what it had
   * committed), which is reported, and what the cache was built on is released all the same.
   */
  async close(): Promise<void> {
    await this.whenIdle();
    const steps = [
      () => this.#options.semantic?.cache.close(),
      () => this.#options.exact?.store.close(),
      () => this.#options.recorder.close(),
      () => this.#options.release?.(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        this.#options.observer.onProblem("could not write the cache's last changes on close", error);
      }
    }
  }

  async #rememberMeaning(semantic: SemanticCache, query: SemanticQuery, message: Message, bytes: number, now: number): Promise<void> {
    try {
      await semantic.store(query, message, bytes, now);
    } catch (error) {
      // A model that did not load was reported once already; anything else is worth a line.
      if (!semantic.stats().unavailable) this.#options.observer.onProblem("could not store an answer in the semantic cache", error);
    }
  }

  #finish(started: number, lookup: CacheLookup, timed: boolean): CacheLookup {
    const seconds = (performance.now() - started) / 1000;
    const delta: Partial<Record<CacheCounter, number>> = { [OUTCOME_COUNTER[lookup.outcome]]: 1 };
    if (timed) Object.assign(delta, { lookups: 1, lookupMicrosSum: seconds * 1e6 });
    const tokens = lookup.message ? lookup.message.usage.input_tokens + lookup.message.usage.output_tokens : 0;
    if (lookup.message) Object.assign(delta, { bytesSaved: lookup.bytes ?? 0, tokensSaved: tokens });
    this.#options.recorder.add(delta);
    this.#options.observer.onLookup(
      lookup.outcome,
      timed ? seconds : undefined,
      lookup.message ? { bytes: lookup.bytes ?? 0, tokens } : undefined,
    );
    return lookup;
  }

  #storeFailed(operation: string, error: unknown): void {
    this.#options.recorder.add({ storeErrors: 1 });
    const firstInOutage = this.#failing.size === 0;
    this.#failing.add(operation);
    this.#options.observer.onStoreError({
      store: this.#options.exact!.name,
      operation,
      error,
      firstInOutage,
      unavailable: error instanceof CacheStoreUnavailableError,
    });
  }

  #storeAnswered(operation: string): void {
    if (!this.#failing.delete(operation) || this.#failing.size > 0) return;
    this.#options.observer.onStoreRecovered(this.#options.exact!.name);
  }

  #inBackground(task: () => Promise<void>): void {
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => this.#options.observer.onProblem("a background cache write failed", error))
      .finally(() => this.#pending.delete(run));
    this.#pending.add(run);
  }
}
