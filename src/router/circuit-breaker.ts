/**
 * A circuit breaker per backend: after enough failures it stops sending traffic (open), lets a
 * few probe requests through after a cool-off (half-open), and resumes (closed) once a probe
 * succeeds. The clock is injected, so every transition can be tested without waiting.
 */

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. */
  failureThreshold: number;
  windowMs: number;
  /** Outcomes within the window needed before the error rate counts; defaults to failureThreshold. */
  minRequests?: number;
  /** Failure fraction (0-1] within the window that opens the circuit; off when absent. */
  errorRateThreshold?: number;
  /** Time spent open before probes are let through. */
  cooldownMs: number;
  /** Probe requests allowed at once while half-open. */
  halfOpenMaxProbes: number;
}

/**
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 5, windowMs: 30_000, cooldownMs: 10_000, halfOpenMaxProbes: 1 }, Date.now,
 *   (from, to) => logger.warn("circuit", { backend, from, to }));
 * if (breaker.tryAcquire()) { try { await call(); breaker.recordSuccess(); } catch { breaker.recordFailure(); } }
 */
export class CircuitBreaker {
  private current: CircuitState = "closed";
  /** Timestamps inside the window, oldest first; successes only kept when the error rate is watched. */
  private failures: number[] = [];
  private successes: number[] = [];
  private openedAt = 0;
  private probes = 0;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: () => number,
    private readonly onTransition?: (from: CircuitState, to: CircuitState) => void,
  ) {}

  /**
   * The state as of now: an open circuit whose cool-off has passed reads (and turns) half-open
   * without waiting for a request, so that whoever checks the state before routing sends the
   * probe that closes it again.
   */
  get state(): CircuitState {
    this.endCooldownIfDue();
    return this.current;
  }

  /**
   * May a request go to this backend now? Closed: yes. Open: no, until the cool-off has passed,
   * then the circuit turns half-open. Half-open: yes for up to `halfOpenMaxProbes` requests at
   * once; each must end with recordSuccess, recordFailure or recordAbandoned.
   */
  tryAcquire(): boolean {
    this.endCooldownIfDue();
    if (this.current === "closed") return true;
    if (this.current === "open") return false;
    if (this.probes >= this.options.halfOpenMaxProbes) return false;
    this.probes++;
    return true;
  }

  recordSuccess(): void {
    if (this.current === "half-open") {
      this.moveTo("closed");
      return;
    }
    // A success that lands while open is from a request let through before the circuit opened.
    if (this.current === "closed" && this.options.errorRateThreshold !== undefined) {
      this.successes.push(this.clock());
      this.checkRate();
    }
  }

  recordFailure(): void {
    if (this.current === "half-open") {
      this.moveTo("open");
      return;
    }
    if (this.current !== "closed") return;
    this.failures.push(this.clock());
    this.checkRate();
  }

  /**
   * The request ended without saying anything about the backend (the client went away, the
   * overall deadline hit elsewhere). Frees its probe slot, so a half-open circuit is not left
   * waiting for an outcome that will never come.
   */
  recordAbandoned(): void {
    if (this.current === "half-open" && this.probes > 0) this.probes--;
  }

  private endCooldownIfDue(): void {
    if (this.current === "open" && this.clock() - this.openedAt >= this.options.cooldownMs) this.moveTo("half-open");
  }

  private checkRate(): void {
    const since = this.clock() - this.options.windowMs;
    dropOlderThan(this.failures, since);
    dropOlderThan(this.successes, since);
    const failed = this.failures.length;
    if (failed >= this.options.failureThreshold) {
      this.moveTo("open");
      return;
    }
    const rate = this.options.errorRateThreshold;
    const total = failed + this.successes.length;
    if (rate !== undefined && total > 0 && total >= (this.options.minRequests ?? this.options.failureThreshold) && failed / total >= rate) {
      this.moveTo("open");
    }
  }

  private moveTo(next: CircuitState): void {
    const previous = this.current;
    this.current = next;
    this.probes = 0;
    if (next === "open") this.openedAt = this.clock();
    // A fresh window on every transition: failures from before an outage must not reopen the circuit after it.
    this.failures = [];
    this.successes = [];
    this.onTransition?.(previous, next);
  }
}

/** Drops the timestamps at or before `since`; they are sorted, so only the front needs looking at. */
function dropOlderThan(times: number[], since: number): void {
  let stale = 0;
  while (stale < times.length && times[stale]! <= since) stale++;
  if (stale > 0) times.splice(0, stale);
}
