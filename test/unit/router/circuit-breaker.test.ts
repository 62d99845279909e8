import { describe, expect, test } from "bun:test";
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from "../../../src/router/circuit-breaker";

const OPTIONS: CircuitBreakerOptions = { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000, halfOpenMaxProbes: 2 };

/** A breaker on a hand-driven clock, recording every transition. */
function setUp(options: Partial<CircuitBreakerOptions> = {}) {
  let now = 1_000_000;
  const transitions: Array<[CircuitState, CircuitState]> = [];
  const breaker = new CircuitBreaker(
    { ...OPTIONS, ...options },
    () => now,
    (from, to) => transitions.push([from, to]),
  );
  return {
    breaker,
    transitions,
    advance: (ms: number) => {
      now += ms;
    },
    fail: (times: number) => {
      for (let i = 0; i < times; i++) breaker.recordFailure();
    },
  };
}

function openBreaker(options: Partial<CircuitBreakerOptions> = {}) {
  const setup = setUp(options);
  setup.fail(OPTIONS.failureThreshold);
  expect(setup.breaker.state).toBe("open");
  return setup;
}

describe("CircuitBreaker: closed", () => {
  test("starts closed and lets everything through", () => {
    const { breaker, transitions } = setUp();
    expect(breaker.state).toBe("closed");
    for (let i = 0; i < 10; i++) expect(breaker.tryAcquire()).toBe(true);
    expect(transitions).toEqual([]);
  });

  test("opens at the threshold of failures within the window", () => {
    const { breaker, transitions, fail } = setUp();
    fail(2);
    expect(breaker.state).toBe("closed");
    fail(1);
    expect(breaker.state).toBe("open");
    expect(transitions).toEqual([["closed", "open"]]);
  });

  test("failures that fell out of the window do not count", () => {
    const { breaker, advance, fail } = setUp();
    fail(2);
    advance(OPTIONS.windowMs);
    fail(1);
    expect(breaker.state).toBe("closed");
    advance(OPTIONS.windowMs - 1);
    fail(1);
    expect(breaker.state).toBe("closed");
    fail(1);
    expect(breaker.state).toBe("open");
  });

  test("successes do not forgive failures counted by number", () => {
    const { breaker, fail } = setUp();
    fail(2);
    for (let i = 0; i < 50; i++) breaker.recordSuccess();
    fail(1);
    expect(breaker.state).toBe("open");
  });

  test("opens on the error rate once enough requests were seen", () => {
    const { breaker, fail } = setUp({ failureThreshold: 100, errorRateThreshold: 0.5, minRequests: 6 });
    breaker.recordSuccess();
    breaker.recordSuccess();
    fail(2); // 2 of 4: over the rate, under the minimum count
    expect(breaker.state).toBe("closed");
    breaker.recordSuccess(); // 2 of 5
    fail(1); // 3 of 6
    expect(breaker.state).toBe("open");
  });

  test("the error rate stays under its threshold: closed", () => {
    const { breaker, fail } = setUp({ failureThreshold: 100, errorRateThreshold: 0.5, minRequests: 4 });
    for (let i = 0; i < 20; i++) {
      breaker.recordSuccess();
      breaker.recordSuccess();
      fail(1);
    }
    expect(breaker.state).toBe("closed");
  });

  test("the error rate only counts outcomes within the window", () => {
    const { breaker, advance, fail } = setUp({ failureThreshold: 100, errorRateThreshold: 0.5, minRequests: 4 });
    fail(3);
    advance(OPTIONS.windowMs);
    breaker.recordSuccess();
    breaker.recordSuccess();
    breaker.recordSuccess();
    fail(1); // 1 of 4 in the window, not 4 of 7
    expect(breaker.state).toBe("closed");
  });
});

describe("CircuitBreaker: open", () => {
  test("refuses until the cool-off has passed, then turns half-open and admits a probe", () => {
    const { breaker, transitions, advance } = openBreaker();
    expect(breaker.tryAcquire()).toBe(false);
    advance(OPTIONS.cooldownMs - 1);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.state).toBe("open");
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe("half-open");
    expect(transitions).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
    ]);
  });

  test("reads half-open once the cool-off has passed, before any request asks", () => {
    const { breaker, transitions, advance } = openBreaker();
    advance(OPTIONS.cooldownMs - 1);
    expect(breaker.state).toBe("open");
    advance(1);
    expect(breaker.state).toBe("half-open");
    expect(transitions.at(-1)).toEqual(["open", "half-open"]);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  test("outcomes of requests admitted before it opened change nothing", () => {
    const { breaker, transitions, fail } = openBreaker();
    breaker.recordSuccess();
    fail(5);
    expect(breaker.state).toBe("open");
    expect(transitions).toEqual([["closed", "open"]]);
  });
});

describe("CircuitBreaker: half-open", () => {
  function halfOpen() {
    const setup = openBreaker();
    setup.advance(OPTIONS.cooldownMs);
    expect(setup.breaker.tryAcquire()).toBe(true);
    expect(setup.breaker.state).toBe("half-open");
    return setup;
  }

  test("admits at most halfOpenMaxProbes probes at once", () => {
    const { breaker } = halfOpen();
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  test("closes on a probe's success, with a fresh window", () => {
    const { breaker, transitions, fail } = halfOpen();
    breaker.recordSuccess();
    expect(breaker.state).toBe("closed");
    expect(transitions.at(-1)).toEqual(["half-open", "closed"]);
    fail(OPTIONS.failureThreshold - 1);
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
  });

  test("opens again on a probe's failure, for another full cool-off", () => {
    const { breaker, transitions, advance, fail } = halfOpen();
    advance(1_000);
    fail(1);
    expect(breaker.state).toBe("open");
    expect(transitions.at(-1)).toEqual(["half-open", "open"]);
    advance(OPTIONS.cooldownMs - 1);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe("half-open");
  });

  test("an abandoned probe frees its slot without changing state", () => {
    const { breaker, transitions } = halfOpen();
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordAbandoned();
    expect(breaker.state).toBe("half-open");
    expect(breaker.tryAcquire()).toBe(true);
    expect(transitions.at(-1)).toEqual(["open", "half-open"]);
  });

  test("abandoning while closed does nothing", () => {
    const { breaker, transitions } = setUp();
    breaker.recordAbandoned();
    expect(breaker.state).toBe("closed");
    expect(transitions).toEqual([]);
  });
});
