/**
 * The router's sense of time: circuit cool-offs, retry backoff, latency averages and usage
 * windows all read it, so a test can step through a circuit's life or a backoff schedule
 * without waiting for real seconds to pass.
 */

export interface RouterClock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (then without error: the caller checks the signal). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Real time: `performance.now()` and timers.
 *
 * @example
 * await SYSTEM_CLOCK.sleep(250, request.signal);
 */
export const SYSTEM_CLOCK: RouterClock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};
