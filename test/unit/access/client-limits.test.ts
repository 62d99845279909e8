/** ClientLimits on a stepped clock: the minute slides, the day turns at UTC midnight, a lease frees its slot once. */
import { expect, test } from "bun:test";
import { ClientLimits } from "../../../src/access/client-limits";
import { OverloadedError, RateLimitError } from "../../../src/errors/proxy-error";

const DAY = 86_400_000;

function limitsAt(start: number, options: { maxInFlight?: number; tokensToday?: Map<string, number> } = {}) {
  const clock = { now: start };
  const limits = new ClientLimits({ maxInFlight: options.maxInFlight ?? 100, now: () => clock.now, tokensToday: options.tokensToday });
  return { clock, limits };
}

const refusal = (admit: () => unknown) => {
  try {
    admit();
  } catch (error) {
    return error as RateLimitError | OverloadedError;
  }
  return undefined;
};

test("requests per minute slide: the oldest start leaving the window lets the next one in, and retry-after says when", () => {
  const { clock, limits } = limitsAt(10 * DAY);
  const key = { name: "a", limits: { requestsPerMinute: 2 } };
  limits.admit(key).release();
  clock.now += 20_000;
  limits.admit(key).release();
  const refused = refusal(() => limits.admit(key));
  expect(refused).toBeInstanceOf(RateLimitError);
  expect(refused!.retryAfterSeconds).toBe(40);
  clock.now += 40_000;
  expect(refusal(() => limits.admit(key))).toBeUndefined();
});

test("tokens per day start again at UTC midnight; today's count given at start-up counts", () => {
  const { clock, limits } = limitsAt(10 * DAY + 3_600_000, { tokensToday: new Map([["a", 90]]) });
  const key = { name: "a", limits: { tokensPerDay: 100 } };
  limits.admit(key).release();
  limits.recordTokens("a", 10);
  const refused = refusal(() => limits.admit(key));
  expect(refused?.retryAfterSeconds).toBe(23 * 3600);
  clock.now = 11 * DAY;
  expect(refusal(() => limits.admit(key))).toBeUndefined();
});

test("requests at once: a lease frees its place once, however often it is released; the server's ceiling is a 529", () => {
  const { limits } = limitsAt(0, { maxInFlight: 2 });
  const key = { name: "a", limits: { concurrentRequests: 1 } };
  const lease = limits.admit(key);
  expect(refusal(() => limits.admit(key))).toBeInstanceOf(RateLimitError);
  lease.release();
  lease.release();
  expect(limits.inFlight).toBe(0);
  const held = [limits.admit(undefined), limits.admit(key)];
  const overloaded = refusal(() => limits.admit(undefined));
  expect(overloaded).toBeInstanceOf(OverloadedError);
  expect(overloaded!.status).toBe(529);
  for (const lease of held) lease.release();
  expect(limits.inFlight).toBe(0);
});
