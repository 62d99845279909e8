/**
 * Whether a backend answers at all, from the periodic probe and the model listings: a run of
 * consecutive failures marks it unhealthy; any success (a probe, a listing, or a request that
 * answered) marks it healthy again. Failed requests do not count here: they feed the circuit
 * breaker, the passive half, which has its own way back (half-open). An unhealthy backend is
 * still tried, but only after every healthy target: when it is all there is, a request should
 * find out for itself.
 */

export type BackendState = "up" | "down" | "unknown";

export class BackendHealth {
  /** The last check's outcome, whatever its source. */
  state: BackendState = "unknown";
  consecutiveFailures = 0;
  lastError: string | undefined;
  /** Wall-clock time of the last outcome, for /health and doctor. */
  checkedAt: Date | undefined;

  constructor(
    /** Consecutive failures that make the backend unhealthy. */
    private readonly unhealthyAfter: number,
    private readonly onChange: (healthy: boolean) => void = () => undefined,
  ) {}

  /** False once `unhealthyAfter` failures came in a row, until the next success. */
  get healthy(): boolean {
    return this.consecutiveFailures < this.unhealthyAfter;
  }

  /** @example health.recordSuccess(); // a probe or a request answered */
  recordSuccess(): void {
    const was = this.healthy;
    this.state = "up";
    this.consecutiveFailures = 0;
    this.lastError = undefined;
    this.checkedAt = new Date();
    if (!was) this.onChange(true);
  }

  /** @example health.recordFailure(error); // refused, timed out, 5xx */
  recordFailure(error: unknown): void {
    const was = this.healthy;
    this.state = "down";
    this.consecutiveFailures++;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.checkedAt = new Date();
    if (was && !this.healthy) this.onChange(false);
  }
}
