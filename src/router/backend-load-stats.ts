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
/**
 * Tokens are summed per second of the window: a fixed ring of 60 counters, so that the memory
 * and the work per request stay the same whatever the request rate (one entry per request
 * held a minute of traffic: 10,000 entries for a minute at 170 requests a second).
 */
const SLOT_MS = 1_000;
const SLOTS = WINDOW_MS / SLOT_MS;

export class BackendLoadStats {
  private ewma: number | undefined;
  /** Tokens per second of the window, indexed by (second mod SLOTS). */
  private readonly slots = new Float64Array(SLOTS);
  /** Which second each slot holds; a slot of an older second counts as empty. */
  private readonly slotSeconds = new Float64Array(SLOTS).fill(-Infinity);

  constructor(private readonly now: () => number) {}

  /** Undefined until the first answer was measured. */
  get latencyEwmaMs(): number | undefined {
    return this.ewma;
  }

  /** Input and output tokens served over the last minute (to the second). */
  get tokensPerMinute(): number {
    const newest = Math.floor(this.now() / SLOT_MS);
    let total = 0;
    for (let slot = 0; slot < SLOTS; slot++) if (this.slotSeconds[slot]! > newest - SLOTS) total += this.slots[slot]!;
    return total;
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
    const second = Math.floor(this.now() / SLOT_MS);
    const slot = ((second % SLOTS) + SLOTS) % SLOTS;
    if (this.slotSeconds[slot] !== second) {
      this.slotSeconds[slot] = second;
      this.slots[slot] = 0;
    }
    this.slots[slot] = this.slots[slot]! + tokens;
  }
}
