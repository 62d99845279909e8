/**
 * A window's summary from a real store: counts and cache outcomes, what the hits saved, speed
 * after the first token, percentiles within 9.1 % of the truth, per backend, and a series of
 * equal slots ending with the current minute.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRequestStats } from "../../../src/history/read-request-stats";
import { openStore } from "../../../src/store/open-store";
import { RequestHistoryRepository } from "../../../src/store/request-history-repository";
import { makeHistoryRow, writeHistoryRows } from "../../support/history-rows";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-stats-"));
const store = openStore({ path: join(dir, "stats.db") });
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const MINUTE = 60_000;
const NOW = Date.parse("2026-03-04T10:30:20Z");
const HOUR = 60 * MINUTE;
const history = new RequestHistoryRepository(store.db);
writeHistoryRows(history, [
  // Two hours ago: outside a one-hour window.
  makeHistoryRow({ at: NOW - 2 * HOUR, backend: "old" }),
  // Live answers, 1 s and 3 s, streamed at 100 tokens per second after the first token.
  makeHistoryRow({ at: NOW - 30 * MINUTE, latencyMs: 1000, ttftMs: 200, outputTokens: 80, inputTokens: 500, cachedTokens: 400 }),
  makeHistoryRow({ at: NOW - 10 * MINUTE, latencyMs: 3000, ttftMs: 1000, outputTokens: 200, inputTokens: 700, cachedTokens: 0 }),
  // Two hits, from the cache, 1 ms each.
  makeHistoryRow({ at: NOW - 10 * MINUTE, backend: null, latencyMs: 1, ttftMs: 1, outputTokens: 80, inputTokens: 500, cache: "hit" }),
  makeHistoryRow({ at: NOW - 5_000, backend: null, latencyMs: 1, ttftMs: 1, outputTokens: 80, inputTokens: 500, cache: "semantic" }),
  // A failure on another backend after a fallback.
  makeHistoryRow({
    at: NOW - 1000,
    backend: "ollama",
    status: 529,
    outcome: "failed",
    errorType: "overloaded_error",
    latencyMs: 50,
    ttftMs: null,
    outputTokens: null,
    inputTokens: null,
    cachedTokens: null,
    fallback: true,
    attempts: 3,
  }),
]);

describe("readRequestStats", () => {
  const stats = readRequestStats(history, { now: NOW, windowMs: HOUR });

  test("counts, cache outcomes and what the hits saved", () => {
    expect(stats).toMatchObject({ requests: 5, errors: 1, fallbacks: 1 });
    expect(stats.cache).toMatchObject({ hits: 1, semanticHits: 1, misses: 3, bypasses: 0 });
    expect(stats.cache.hitRate).toBeCloseTo(2 / 5);
    // Mean live answer (1000 + 3000 + 50) / 3 ms, less the hits' 1 ms, twice.
    expect(stats.cache.timeSavedMs).toBeCloseTo(2 * (4050 / 3 - 1));
  });

  test("tokens and generation speed after the first token", () => {
    // The hits' tokens are what their first answer cost: no backend processed them now.
    expect(stats.tokens).toMatchObject({ input: 1200, output: 280, cached: 400 });
    // 280 tokens over 0.8 s + 2 s.
    expect(stats.tokens.perSecond).toBeCloseTo(100);
    expect(stats.context).toEqual({ utilization: null, tokensTrimmed: 0, promptTokensSaved: 0 });
  });

  test("percentiles within 9.1 % of the truth, means exact", () => {
    expect(stats.latencyMs.mean).toBeCloseTo(4052 / 5);
    // Sorted: 1, 1, 50, 1000, 3000.
    expect(stats.latencyMs.p50! / 50).toBeCloseTo(1, 0);
    expect(Math.abs(stats.latencyMs.p95! / 3000 - 1)).toBeLessThan(0.091);
    // Sorted: 1, 1, 200, 1000.
    expect(Math.abs(stats.ttftMs.p50! / 1 - 1)).toBeLessThan(0.091);
    expect(Math.abs(stats.ttftMs.p95! / 1000 - 1)).toBeLessThan(0.091);
    expect(stats.ttftMs.mean).toBeCloseTo(1202 / 4);
  });

  test("backends answered for, without the cache's hits or those outside the window", () => {
    expect(stats.backends.map((backend) => [backend.id, backend.requests, backend.errors, backend.fallbacks]).sort()).toEqual([
      ["llama", 2, 0, 0],
      ["ollama", 1, 1, 1],
    ]);
    expect(stats.backends.find((backend) => backend.id === "llama")).toMatchObject({ meanLatencyMs: 2000, outputTokens: 280 });
  });

  test("a series of one-minute points ending with the current minute", () => {
    expect(stats.window).toEqual({ from: Date.parse("2026-03-04T09:31:00Z"), to: Date.parse("2026-03-04T10:31:00Z"), stepMs: MINUTE });
    expect(stats.series).toHaveLength(60);
    expect(stats.series.reduce((sum, point) => sum + point.requests, 0)).toBe(5);
    const last = stats.series.at(-1)!;
    expect(last).toMatchObject({ at: Date.parse("2026-03-04T10:30:00Z"), requests: 2, errors: 1, cacheHits: 1, cacheMisses: 1 });
    expect(stats.series[0]).toMatchObject({ requests: 0, latencyP50: null, tokensPerSecond: null });
  });

  test("recent errors of the window, newest first", () => {
    expect(stats.recentErrors.map((row) => [row.backend, row.errorType, row.status])).toEqual([["ollama", "overloaded_error", 529]]);
  });

  test("six hours are 24 points of a quarter hour; a day, 96; 30 days, 90 of eight hours", () => {
    const sixHours = readRequestStats(history, { now: NOW, windowMs: 6 * HOUR });
    expect([sixHours.series.length, sixHours.window.stepMs, sixHours.requests]).toEqual([24, 15 * MINUTE, 6]);
    const day = readRequestStats(history, { now: NOW, windowMs: 24 * HOUR });
    expect(day.window).toEqual({ from: Date.parse("2026-03-03T10:45:00Z"), to: Date.parse("2026-03-04T10:45:00Z"), stepMs: 15 * MINUTE });
    expect(day.series.map((point) => point.requests).slice(-3)).toEqual([1, 2, 2]);
    expect(day.latencyMs.p95).toEqual(stats.latencyMs.p95);
    const month = readRequestStats(history, { now: NOW, windowMs: 30 * 24 * HOUR });
    expect(month.window).toEqual({ from: Date.parse("2026-02-02T12:00:00Z"), to: Date.parse("2026-03-04T12:00:00Z"), stepMs: 8 * HOUR });
    expect([month.series.length, month.requests]).toEqual([90, 6]);
  });
});
