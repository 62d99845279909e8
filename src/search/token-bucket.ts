/**
 * A provider's rate limit as a token bucket: it holds up to a minute's allowance, refills
 * continuously, and each search takes one token. The clock is handed in, so a test can move it.
 */

export class TokenBucket {
  #tokens: number;
  #refilledAt: number;
  readonly #perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.#tokens = perMinute;
    this.#refilledAt = now();
    this.#perMs = perMinute / 60_000;
  }

  /**
   * Takes a token when one is there; false means over the rate, nothing taken.
   *
   * @example
   * const bucket = new TokenBucket(30);
   * if (!bucket.tryTake()) askTheNextProvider();
   */
  tryTake(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.perMinute, this.#tokens + (now - this.#refilledAt) * this.#perMs);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
