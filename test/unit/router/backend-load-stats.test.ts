import { describe, expect, test } from "bun:test";
import { BackendLoadStats } from "../../../src/router/backend-load-stats";

function statsAt(start = 0) {
  let now = start;
  const stats = new BackendLoadStats(() => now);
  return { stats, advance: (ms: number) => (now += ms) };
}

describe("BackendLoadStats", () => {
  test("the latency average is undefined until measured, then the first sample itself", () => {
    const { stats } = statsAt();
    expect(stats.latencyEwmaMs).toBeUndefined();
    stats.recordFirstByte(400);
    expect(stats.latencyEwmaMs).toBe(400);
  });

  test("each new sample moves the average by 0.3 of its difference", () => {
    const { stats } = statsAt();
    stats.recordFirstByte(100);
    stats.recordFirstByte(200);
    expect(stats.latencyEwmaMs).toBeCloseTo(130, 10);
    stats.recordFirstByte(30);
    expect(stats.latencyEwmaMs).toBeCloseTo(100, 10);
  });

  test("a backend that slows down is seen as slow within a few requests", () => {
    const { stats } = statsAt();
    stats.recordFirstByte(50);
    for (let i = 0; i < 6; i++) stats.recordFirstByte(1_000);
    expect(stats.latencyEwmaMs!).toBeGreaterThan(850);
  });

  test("tokens per minute counts the last 60 s only", () => {
    const { stats, advance } = statsAt(10_000);
    stats.recordTokens(1_000);
    advance(30_000);
    stats.recordTokens(500);
    expect(stats.tokensPerMinute).toBe(1_500);
    advance(30_000);
    expect(stats.tokensPerMinute).toBe(500);
    advance(30_000);
    expect(stats.tokensPerMinute).toBe(0);
  });

  test("over minutes of traffic, to the second, it equals a sum over every record still in the window", () => {
    const { stats, advance } = statsAt(123_456);
    let now = 123_456;
    const records: Array<[number, number]> = [];
    for (let step = 0; step < 600; step++) {
      const tokens = (step * 37) % 500;
      stats.recordTokens(tokens);
      if (tokens > 0) records.push([now, tokens]);
      const ms = 150 + ((step * 97) % 900);
      advance(ms);
      now += ms;
      const second = Math.floor(now / 1_000);
      const expected = records.filter(([at]) => Math.floor(at / 1_000) > second - 60).reduce((sum, [, tokens]) => sum + tokens, 0);
      expect(stats.tokensPerMinute).toBe(expected);
    }
  });

  test("zero, negative and NaN token counts are ignored", () => {
    const { stats } = statsAt();
    for (const tokens of [0, -5, Number.NaN]) stats.recordTokens(tokens);
    expect(stats.tokensPerMinute).toBe(0);
  });
});
