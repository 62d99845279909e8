/**
 * Admission of messages requests: each key's limits (requests per minute, requests at once,
 * tokens per UTC day) and the server's own ceiling on requests at once. Over a key's limit a
 * request gets 429 `rate_limit_error`, the key's own doing; over the server's, 529
 * `overloaded_error`, nobody's in particular. Both carry `retry-after`.
 */
import { OverloadedError, RateLimitError } from "../errors/proxy-error";
import type { ClientKey } from "./client-key-registry";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A slot frees when some request ends, which nobody can foresee: ask for a short wait. */
const SLOT_RETRY_AFTER_S = 1;

export interface ClientLimitsOptions {
  /** Requests answered at once, all keys together. */
  maxInFlight: number;
  now?: () => number;
  /** Tokens each key used since the start of today (UTC), as the request history counted them. */
  tokensToday?: ReadonlyMap<string, number>;
}

/** A request let in; `release()` when its answer has gone out (a second call does nothing). */
export interface AdmissionLease {
  release(): void;
}

interface KeyUsage {
  /** When the requests of the last minute started, oldest first. */
  starts: number[];
  inFlight: number;
  /** Whole days since the epoch, UTC, that `tokens` counts. */
  day: number;
  tokens: number;
}

export class ClientLimits {
  readonly #maxInFlight: number;
  readonly #now: () => number;
  readonly #usage = new Map<string, KeyUsage>();
  #inFlight = 0;

  constructor(options: ClientLimitsOptions) {
    this.#maxInFlight = options.maxInFlight;
    this.#now = options.now ?? Date.now;
    const today = Math.floor(this.#now() / DAY_MS);
    for (const [name, tokens] of options.tokensToday ?? []) this.#usage.set(name, { starts: [], inFlight: 0, day: today, tokens });
  }

  /**
   * Lets a request in or throws the error to answer it with. `key` is undefined when anyclaude
   * asks for no key: then only the server's ceiling applies.
   *
   * @example
   * const lease = limits.admit(key);
   * try { return await answer(); } finally { lease.release(); }
   */
  admit(key: ClientKey | undefined): AdmissionLease {
    const now = this.#now();
    const usage = key && this.#usageOf(key.name, now);
    if (key && usage) this.#checkKey(key, usage, now);
    if (this.#inFlight >= this.#maxInFlight) {
      throw new OverloadedError(`${this.#inFlight} requests are being answered (server.maxInFlight)`, SLOT_RETRY_AFTER_S);
    }
    this.#inFlight += 1;
    if (key && usage) {
      usage.inFlight += 1;
      // Kept only where a limit reads them, so a key without one holds no list.
      if (key.limits.requestsPerMinute !== undefined) usage.starts.push(now);
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        if (usage) usage.inFlight -= 1;
      },
    };
  }

  /**
   * Adds an answer's input and output tokens to its key's count for today.
   *
   * @example
   * limits.recordTokens("alice", usage.input_tokens + usage.output_tokens);
   */
  recordTokens(name: string, tokens: number): void {
    if (tokens > 0) this.#usageOf(name, this.#now()).tokens += tokens;
  }

  /** Requests being answered now, all keys together. */
  get inFlight(): number {
    return this.#inFlight;
  }

  #checkKey(key: ClientKey, usage: KeyUsage, now: number): void {
    const { requestsPerMinute, concurrentRequests, tokensPerDay } = key.limits;
    if (tokensPerDay !== undefined && usage.tokens >= tokensPerDay) {
      const untilTomorrow = (usage.day + 1) * DAY_MS - now;
      throw new RateLimitError(`key ${key.name} used ${usage.tokens} of its ${tokensPerDay} tokens today (UTC)`, secondsOf(untilTomorrow));
    }
    if (concurrentRequests !== undefined && usage.inFlight >= concurrentRequests) {
      throw new RateLimitError(
        `key ${key.name} already has ${usage.inFlight} requests running (limit ${concurrentRequests})`,
        SLOT_RETRY_AFTER_S,
      );
    }
    if (requestsPerMinute !== undefined && usage.starts.length >= requestsPerMinute) {
      const oldest = usage.starts[usage.starts.length - requestsPerMinute]!;
      throw new RateLimitError(
        `key ${key.name} made ${requestsPerMinute} requests in the last minute`,
        secondsOf(oldest + MINUTE_MS - now),
      );
    }
  }

  #usageOf(name: string, now: number): KeyUsage {
    const today = Math.floor(now / DAY_MS);
    let usage = this.#usage.get(name);
    if (usage === undefined) {
      usage = { starts: [], inFlight: 0, day: today, tokens: 0 };
      this.#usage.set(name, usage);
    }
    if (usage.day !== today) {
      usage.day = today;
      usage.tokens = 0;
    }
    while (usage.starts.length > 0 && usage.starts[0]! <= now - MINUTE_MS) usage.starts.shift();
    return usage;
  }
}

function secondsOf(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
