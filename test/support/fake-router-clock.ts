/**
 * A router clock that a test moves by hand: `sleep` returns at once and records how long the
 * router meant to wait (the backoff schedule), and `advance` steps time forward (a circuit's
 * cool-off). Real timers (deadlines, queue waits, backend timeouts) still run in real time.
 */
import type { RouterClock } from "../../src/router/router-clock";

export interface FakeRouterClock extends RouterClock {
  /** Every `sleep` the router asked for, in order, in milliseconds. */
  sleeps: number[];
  advance(ms: number): void;
}

/**
 * @example
 * const clock = createFakeRouterClock();
 * const proxy = await startProxy(config, backends, { clock });
 * clock.advance(15_000); // past the circuit's cool-off
 */
export function createFakeRouterClock(start = 1_000_000): FakeRouterClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
}
