/**
 * What a batch of rows adds to the totals: one delta per backend and period at each of the
 * three spans, cache hits apart (backend ''), tokens only where a backend worked, generation
 * speed only from completed live streams, durations filed in quarter-doubling buckets.
 */
import { describe, expect, test } from "bun:test";
import { sumRowsByPeriod } from "../../../src/history/sum-rows-by-period";
import { makeHistoryRow } from "../../support/history-rows";

const T0 = Date.parse("2026-03-04T10:14:30Z");
const MINUTE = 60_000;
const minuteOf = (at: number, span: number) => Math.floor(at / MINUTE / span) * span;

describe("sumRowsByPeriod", () => {
  const periods = sumRowsByPeriod([
    makeHistoryRow({ at: T0, latencyMs: 1000, ttftMs: 200, outputTokens: 80, inputTokens: 20, cachedTokens: 100 }),
    makeHistoryRow({ at: T0 + 10_000, latencyMs: 1010, ttftMs: null, stream: false, outputTokens: 10, inputTokens: 5, cachedTokens: 0 }),
    makeHistoryRow({ at: T0 + 20_000, backend: null, cache: "hit", latencyMs: 0.5, ttftMs: 0.5, outputTokens: 80 }),
    makeHistoryRow({ at: T0 + MINUTE, status: 529, outcome: "failed", errorType: "overloaded_error", fallback: true, cache: "bypass" }),
  ]);
  const find = (span: number, at: number, backend: string) =>
    periods.find((period) => period.span === span && period.minute === minuteOf(at, span) && period.backend === backend);

  test("one delta per span, period and backend", () => {
    expect(periods.map((period) => `${period.span}/${period.minute - minuteOf(T0, period.span)}/${period.backend}`).sort()).toEqual(
      ["1/0/", "1/0/llama", "1/1/llama", "15/0/", "15/0/llama", "15/15/llama", "240/0/", "240/0/llama"].sort(),
    );
    // 10:14:30 and 10:15:30 share their four hours (08:00-12:00) but not their quarter hour.
    expect(find(240, T0, "llama")!.requests).toBe(3);
    expect(find(15, T0, "llama")!.requests).toBe(2);
  });

  test("counts, sums and histograms of a minute", () => {
    expect(find(1, T0, "llama")).toMatchObject({
      requests: 2,
      errors: 0,
      cacheMisses: 2,
      latencyMsSum: 2010,
      ttftMsSum: 200,
      ttftCount: 1,
      inputTokens: 25,
      outputTokens: 90,
      cachedTokens: 100,
      // Only the completed stream: 80 tokens over the 800 ms after its first token.
      generationTokens: 80,
      generationMsSum: 800,
      latencyHistogram: '{"39":2}',
      ttftHistogram: '{"30":1}',
    });
    expect(find(1, T0 + MINUTE, "llama")).toMatchObject({ requests: 1, errors: 1, fallbacks: 1, cacheBypasses: 1 });
  });

  test("a cache hit counts apart, with its latency, and no backend's tokens", () => {
    expect(find(1, T0, "")).toMatchObject({
      requests: 1,
      cacheHits: 1,
      hitLatencyMsSum: 0.5,
      outputTokens: 0,
      generationTokens: 0,
      latencyHistogram: '{"-4":1}',
    });
  });

  test("nothing written for the columns no feature fills yet", () => {
    expect(find(240, T0, "llama")).toMatchObject({ contextUtilizationCount: 0, tokensTrimmed: 0, promptTokensSaved: 0, toolCalls: 0 });
  });
});
