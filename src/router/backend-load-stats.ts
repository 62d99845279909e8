/**
 * The live figures two strategies rank by: an exponentially weighted moving average of a
 * backend's time to first byte (`latency-based`) and the tokens it served over the last minute
 * (`usage-based`). One instance per backend, fed by the router as answers start and end.
 */

/**
 * Weight of the newest sample in the average: 0.3 follows a backend that slows down within
 * three or four requests while one slow outlier moves it by less than a third.
 */
const EWMA_ALPHA = 0.3;
const WINDOW_MS = 60_000;

export class BackendLoadStats {
  private ewma: number | undefined;
  /** [time, tokens] in arrival order; pruned from the front as they leave the window. */
  private readonly usage: Array<[number, number]> = [];
  private usageTotal = 0;

  constructor(private readonly now: () => number) {}

  /** Undefined until the first answer was measured. */
  get latencyEwmaMs(): number | undefined {
    return this.ewma;
  }

  /** Input and output tokens served over the last minute. */
  get tokensPerMinute(): number {
    this.prune();
    return this.usageTotal;
  }

  /**
   * @example
   * stats.recordFirstByte(performance.now() - started);
   */
  recordFirstByte(ms: number): void {
    this.ewma = this.ewma === undefined ? ms : this.ewma + EWMA_ALPHA * (ms - this.ewma);
  }

  /** @example stats.recordTokens(inputTokensEstimate); */
  recordTokens(tokens: number): void {
    if (!(tokens > 0)) return;
    this.usage.push([this.now(), tokens]);
    this.usageTotal += tokens;
    this.prune();
  }

  private prune(): void {
    const oldest = this.now() - WINDOW_MS;
    while (this.usage.length > 0 && this.usage[0]![0] <= oldest) this.usageTotal -= this.usage.shift()![1];
  }
}
