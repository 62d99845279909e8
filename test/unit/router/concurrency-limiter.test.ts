import { describe, expect, test } from "bun:test";
import { OverloadedError } from "../../../src/errors/proxy-error";
import {
  ConcurrencyLimiter,
  type ConcurrencyLimiterOptions,
  type LimiterTimers,
  type ReleaseSlot,
} from "../../../src/router/concurrency-limiter";

/** Timers that fire only when the test says so: waits run out without waiting. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: LimiterTimers = {
    setTimeout: (callback, ms) => {
      pending.set(++next, { callback, ms });
      return next;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  const fireAll = () => {
    const due = [...pending.values()];
    pending.clear();
    for (const timer of due) timer.callback();
  };
  return { timers, pending, fireAll };
}

function setUp(options: Partial<ConcurrencyLimiterOptions> = {}) {
  const clock = manualTimers();
  const limiter = new ConcurrencyLimiter(
    { maxConcurrency: 1, maxQueueDepth: 10, maxQueueWaitMs: 30_000, name: "llamacpp-8080", ...options },
    clock.timers,
  );
  return { limiter, ...clock };
}

/** Records the order in which waiters get their slot, and keeps their release functions. */
function track(limiter: ConcurrencyLimiter) {
  const order: string[] = [];
  const releases = new Map<string, ReleaseSlot>();
  const wait = (name: string, priority: "interactive" | "background", signal?: AbortSignal) =>
    limiter.acquire(priority, signal).then((release) => {
      order.push(name);
      releases.set(name, release);
    });
  return { order, releases, wait };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe("ConcurrencyLimiter", () => {
  test("grants slots at once up to the limit, then queues", async () => {
    const { limiter } = setUp({ maxConcurrency: 2 });
    await limiter.acquire("interactive");
    await limiter.acquire("background");
    expect([limiter.inFlight, limiter.queued]).toEqual([2, 0]);
    const third = limiter.acquire("interactive");
    expect([limiter.inFlight, limiter.queued]).toEqual([2, 1]);
    void third;
  });

  test("interactive waiters go before background ones, each line first come first served", async () => {
    const { limiter } = setUp();
    const first = await limiter.acquire("interactive");
    const { order, releases, wait } = track(limiter);
    const waits = [wait("bg-1", "background"), wait("ia-1", "interactive"), wait("bg-2", "background"), wait("ia-2", "interactive")];
    first();
    for (const name of ["ia-1", "ia-2", "bg-1", "bg-2"]) {
      await settle();
      expect(order.at(-1)).toBe(name);
      releases.get(name)!();
    }
    await Promise.all(waits);
    expect(order).toEqual(["ia-1", "ia-2", "bg-1", "bg-2"]);
    expect([limiter.inFlight, limiter.queued]).toEqual([0, 0]);
  });

  test("a released slot goes to the line, not to a newcomer", async () => {
    const { limiter } = setUp();
    const first = await limiter.acquire("interactive");
    const { order, wait } = track(limiter);
    const waiting = wait("waiter", "background");
    first();
    const newcomer = wait("newcomer", "interactive");
    await waiting;
    expect(order).toEqual(["waiter"]);
    expect([limiter.inFlight, limiter.queued]).toEqual([1, 1]);
    void newcomer;
  });

  test("releasing twice frees one slot only", async () => {
    const { limiter } = setUp({ maxConcurrency: 2 });
    const release = await limiter.acquire("interactive");
    await limiter.acquire("interactive");
    release();
    release();
    expect(limiter.inFlight).toBe(1);
    const { order, wait } = track(limiter);
    void wait("third", "interactive");
    void wait("fourth", "interactive");
    await settle();
    expect(order).toEqual(["third"]);
    expect([limiter.inFlight, limiter.queued]).toEqual([2, 1]);
  });

  test("a full line rejects at once with 529 overloaded and a retry-after", async () => {
    const { limiter } = setUp({ maxQueueDepth: 2, maxQueueWaitMs: 4_500 });
    await limiter.acquire("interactive");
    void limiter.acquire("interactive");
    void limiter.acquire("background");
    const error = await limiter.acquire("interactive").catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({ status: 529, type: "overloaded_error", retryable: true, retryAfterSeconds: 5 });
    expect((error as Error).message).toContain("llamacpp-8080");
    expect(limiter.queued).toBe(2);
  });

  test("a queue depth of 0 rejects whenever every slot is busy", async () => {
    const { limiter } = setUp({ maxQueueDepth: 0 });
    await limiter.acquire("interactive");
    await expect(limiter.acquire("interactive")).rejects.toBeInstanceOf(OverloadedError);
  });

  test("a wait that runs out rejects with overloaded and leaves the line", async () => {
    const { limiter, pending, fireAll } = setUp({ maxQueueWaitMs: 2_000 });
    await limiter.acquire("interactive");
    const waiting = limiter.acquire("background");
    expect([...pending.values()].map((timer) => timer.ms)).toEqual([2_000]);
    fireAll();
    const error = await waiting.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).retryAfterSeconds).toBe(2);
    expect(limiter.queued).toBe(0);
  });

  test("a granted waiter's timer is cleared", async () => {
    const { limiter, pending } = setUp();
    const first = await limiter.acquire("interactive");
    const waiting = limiter.acquire("interactive");
    expect(pending.size).toBe(1);
    first();
    await waiting;
    expect(pending.size).toBe(0);
  });

  test("an aborted signal takes the waiter out of the line, with the signal's reason", async () => {
    const { limiter, pending } = setUp();
    const first = await limiter.acquire("interactive");
    const abort = new AbortController();
    const { order, wait } = track(limiter);
    const aborted = wait("aborted", "interactive", abort.signal).catch((reason: unknown) => reason);
    void wait("next", "background");
    expect(limiter.queued).toBe(2);
    const reason = new Error("client went away");
    abort.abort(reason);
    expect(await aborted).toBe(reason);
    expect([limiter.queued, pending.size]).toEqual([1, 1]);
    first();
    await settle();
    expect(order).toEqual(["next"]);
  });

  test("an already aborted signal is refused before taking a slot", async () => {
    const { limiter } = setUp();
    const abort = new AbortController();
    abort.abort(new Error("gone"));
    await expect(limiter.acquire("interactive", abort.signal)).rejects.toThrow("gone");
    expect(limiter.inFlight).toBe(0);
  });

  test("no limit: never queues", async () => {
    const { limiter, pending } = setUp({ maxConcurrency: Number.POSITIVE_INFINITY, maxQueueDepth: 0 });
    for (let i = 0; i < 100; i++) await limiter.acquire("background");
    expect([limiter.inFlight, limiter.queued, pending.size]).toEqual([100, 0, 0]);
  });

  test("an endless wait sets no timer", async () => {
    const { limiter, pending } = setUp({ maxQueueWaitMs: Number.POSITIVE_INFINITY });
    await limiter.acquire("interactive");
    void limiter.acquire("interactive");
    expect([limiter.queued, pending.size]).toEqual([1, 0]);
  });

  test("with real timers, a short wait bound rejects", async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrency: 1, maxQueueDepth: 1, maxQueueWaitMs: 20 });
    const release = await limiter.acquire("interactive");
    await expect(limiter.acquire("interactive")).rejects.toBeInstanceOf(OverloadedError);
    release();
  });
});
