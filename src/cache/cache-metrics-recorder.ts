/**
 * Keeps the cache's counters per day in the store without a write per request: lookups add to
 * an in-memory delta, and a timer (or close) writes the delta in one upsert. Readers see the
 * stored days plus what is still in memory, so `stats` is never behind.
 */
import type { CacheMetricsCounts, CacheMetricsRepository } from "../store/cache-metrics-repository";

export type CacheCounter = keyof CacheMetricsCounts;

export interface CacheMetricsRecorderOptions {
  /** How often the delta is written; default 10 s. */
  flushIntervalMs?: number;
  now?: () => number;
  /** The first failed write of a run of them (disk full, a lock held too long): the delta is kept for the next try. */
  onFlushError?: (error: unknown) => void;
}

/**
 * @example
 * const recorder = new CacheMetricsRecorder(new CacheMetricsRepository(store.db));
 * recorder.add({ hits: 1, bytesSaved: 5120, tokensSaved: 300 });
 * recorder.read(); // totals over every day, this delta included
 * recorder.close(); // writes what is pending
 */
export class CacheMetricsRecorder {
  readonly #repository: CacheMetricsRepository;
  readonly #now: () => number;
  readonly #onFlushError: (error: unknown) => void;
  readonly #timer: ReturnType<typeof setInterval>;
  #pending: Partial<Record<CacheCounter, number>> = {};
  /** The day the pending delta belongs to: a delta is never written to the next day's row. */
  #pendingSince: number | undefined;
  /** Writes failing since the last that worked: reported once, not every interval. */
  #failing = false;

  constructor(repository: CacheMetricsRepository, options: CacheMetricsRecorderOptions = {}) {
    this.#repository = repository;
    this.#now = options.now ?? Date.now;
    this.#onFlushError = options.onFlushError ?? (() => {});
    this.#timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 10_000);
    this.#timer.unref();
  }

  add(delta: Partial<Record<CacheCounter, number>>): void {
    const now = this.#now();
    if (this.#pendingSince !== undefined && !sameUtcDay(this.#pendingSince, now)) this.flush();
    this.#pendingSince ??= now;
    for (const [name, value] of Object.entries(delta) as [CacheCounter, number][]) this.#pending[name] = (this.#pending[name] ?? 0) + value;
  }

  /** Totals of the stored days (all by default, or from `fromDay`), with the pending delta added. */
  read(range: { fromDay?: string } = {}): CacheMetricsCounts {
    const totals = this.#repository.sum(range);
    for (const [name, value] of Object.entries(this.#pending) as [CacheCounter, number][]) totals[name] += value;
    return totals;
  }

  flush(): void {
    if (this.#pendingSince === undefined) return;
    try {
      this.#repository.record(this.#pendingSince, this.#pending);
      this.#pending = {};
      this.#pendingSince = undefined;
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.#onFlushError(error);
      this.#failing = true;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}

function sameUtcDay(a: number, b: number): boolean {
  return Math.floor(a / 86_400_000) === Math.floor(b / 86_400_000);
}
