import { describe, expect, test } from "bun:test";
import {
  BackendConnectionError,
  BackendHttpError,
  BackendProtocolError,
  BackendTimeoutError,
  ClientAbortError,
  ContextOverflowError,
  InvalidRequestError,
  NoBackendError,
  NotFoundError,
  OverloadedError,
  PayloadTooLargeError,
} from "../../../src/errors/proxy-error";
import { computeRetryDelayMs, isContextOverflow, isRetryableError } from "../../../src/router/retry-policy";

describe("isRetryableError", () => {
  test.each([408, 409, 429, 500, 502, 503, 504, 529])("backend HTTP %d: retried", (status) => {
    expect(isRetryableError(new BackendHttpError("b", status, "x"))).toBe(true);
  });

  test.each([400, 401, 403, 404, 413, 422])("backend HTTP %d: never retried", (status) => {
    expect(isRetryableError(new BackendHttpError("b", status, "x"))).toBe(false);
  });

  test.each<[string, unknown, boolean]>([
    ["connection refused or reset", new BackendConnectionError("b", "ECONNREFUSED"), true],
    ["timeout", new BackendTimeoutError("b", "first byte", 1_000), true],
    ["broken stream or bad JSON", new BackendProtocolError("b", "bad SSE"), true],
    ["overloaded queue", new OverloadedError("queue full", 5), true],
    ["context overflow", new ContextOverflowError("40000 > 32768"), false],
    ["client gone", new ClientAbortError(), false],
    ["invalid request", new InvalidRequestError("bad", "messages"), false],
    ["not found", new NotFoundError("no model"), false],
    ["payload too large", new PayloadTooLargeError(1_000), false],
    ["no backend at all", new NoBackendError(), false],
    ["a plain Error (a bug)", new Error("undefined is not a function"), false],
    ["a string", "boom", false],
    ["undefined", undefined, false],
  ])("%s", (_name, error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });
});

describe("isContextOverflow", () => {
  test.each<[string, unknown, boolean]>([
    ["context overflow", new ContextOverflowError("too long"), true],
    ["another 400", new InvalidRequestError("bad"), false],
    ["a retryable failure", new BackendHttpError("b", 503, "busy"), false],
    ["not an error", null, false],
  ])("%s", (_name, error, expected) => {
    expect(isContextOverflow(error)).toBe(expected);
  });
});

describe("computeRetryDelayMs", () => {
  const options = { baseMs: 100, maxMs: 2_000, retryAfterCapMs: 10_000 };

  test.each<[string, number, number | undefined, number, number]>([
    ["first retry, top of the jitter", 0, undefined, 1, 100],
    ["first retry, middle of the jitter", 0, undefined, 0.5, 50],
    ["jitter can reach zero", 3, undefined, 0, 0],
    ["doubles each attempt", 3, undefined, 0.5, 400],
    ["capped at maxMs", 10, undefined, 0.5, 1_000],
    ["no overflow far out", 5_000, undefined, 0.25, 500],
    ["retry-after honoured exactly", 0, 3, 0.5, 3_000],
    ["retry-after of 0: at once", 4, 0, 0.9, 0],
    ["fractional retry-after (from retry-after-ms)", 0, 0.25, 0.9, 250],
    ["retry-after capped", 0, 60, 0.5, 10_000],
    ["negative retry-after ignored", 1, -5, 0.5, 100],
    ["non-finite retry-after ignored", 1, Number.NaN, 0.5, 100],
  ])("%s", (_name, attempt, retryAfter, draw, expected) => {
    expect(computeRetryDelayMs(attempt, options, retryAfter, () => draw)).toBe(expected);
  });

  test("full jitter: uniform over [0, ceiling), every draw inside", () => {
    let state = 1;
    const random = () => {
      state = (state * 48271) % 2_147_483_647;
      return (state - 1) / 2_147_483_646;
    };
    const ceiling = 800; // attempt 3
    for (let i = 0; i < 1_000; i++) {
      const delay = computeRetryDelayMs(3, options, undefined, random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
  });
});
