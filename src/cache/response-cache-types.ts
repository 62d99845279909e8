/**
 * What the response cache hands the request path and its observers: a lookup's outcome, the
 * ticket that lets the answer be stored later, the observer's hooks (metrics and logs live in
 * the server layer), and the stats `GET /v1/cache/stats` and `anyclaude cache stats` print.
 */
import type { CacheStoreName } from "../config/config-choices";
import type { Message } from "../protocol/anthropic/messages";
import type { CacheMetricsCounts } from "../store/cache-metrics-repository";
import type { SemanticQuery } from "./compute-semantic-query";

/** The `x-anyclaude-cache` response header: replayed exactly, replayed by meaning, not found, or not consulted. */
export type CacheOutcome = "hit" | "semantic" | "miss" | "bypass";

export interface CacheTicket {
  /** The exact key (also the `x-anyclaude-cache-key` header). */
  key: string;
  /** Whether the exact store should receive the answer (not after it just failed). */
  exact: boolean;
  /** Set when the request qualifies for the semantic cache. */
  semanticQuery?: SemanticQuery;
}

export interface CacheLookup {
  outcome: CacheOutcome;
  key: string;
  /** The stored answer, on `hit` and `semantic`. */
  message?: Message;
  /** Its size as stored (JSON bytes). */
  bytes?: number;
  /** On `semantic`: the cosine similarity that matched. */
  similarity?: number;
  /** Hand it to `remember` with the answer; absent when the answer must not be stored. */
  ticket?: CacheTicket;
}

interface StoreFailure {
  store: CacheStoreName;
  operation: string;
  error: unknown;
  /** The first failure since the store last answered: log it; later ones are only counted. */
  firstInOutage: boolean;
  /** The store cannot be reached (Redis down) rather than refused the operation. */
  unavailable: boolean;
}

export interface ResponseCacheObserver {
  /** `seconds` is set when the stores were consulted; `saved` on a hit. */
  onLookup(outcome: CacheOutcome, seconds: number | undefined, saved: { bytes: number; tokens: number } | undefined): void;
  onStoreError(failure: StoreFailure): void;
  onStoreRecovered(store: CacheStoreName): void;
  /** Something that costs hits but not answers: a model that did not load, a failed write. */
  onProblem(message: string, error: unknown): void;
}

export interface ResponseCacheStats {
  /** Where exact answers live; absent when the exact cache is off. */
  store?: CacheStoreName;
  exact?: { entries: number; bytes: number } | { error: string };
  semantic?: { entries: number; loaded: boolean; unavailable?: string };
  /** Counters over every day kept, and over today (UTC). */
  counters: { total: CacheMetricsCounts; today: CacheMetricsCounts };
}
