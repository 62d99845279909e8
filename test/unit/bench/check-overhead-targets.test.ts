import { describe, expect, test } from "bun:test";
import { checkOverheadTargets, type ScenarioResult, TARGETS } from "../../../bench/check-overhead-targets";
import type { RssTrack } from "../../../bench/track-proxy-rss";

const MB = 1024 * 1024;

function scenario(body: "49KB" | "small", concurrency: number, added: { p50: number; p99: number }): ScenarioResult {
  const percentiles = { p50: added.p50, p95: added.p99, p99: added.p99 };
  return {
    body,
    mode: "json",
    concurrency,
    count: 100,
    direct: percentiles,
    proxied: percentiles,
    added: percentiles,
    firstByteAdded: percentiles,
    proxyCpuMsPerRequest: 0.1,
  };
}

function rss(peakMb: number, trendMb: number, settledMb = peakMb): RssTrack {
  return {
    samples: [],
    peakBytes: peakMb * MB,
    firstHalfGrowthBytes: 0,
    secondHalfGrowthBytes: trendMb * MB,
    secondHalfTrendBytes: trendMb * MB,
    settledBytes: settledMb * MB,
    settleMs: 5_000,
  };
}

describe("checkOverheadTargets", () => {
  test("applies the sequential targets to the 49 KB body only, and the concurrent one to every concurrent run", () => {
    const checks = checkOverheadTargets(
      [scenario("49KB", 1, { p50: 0.2, p99: 1.6 }), scenario("small", 1, { p50: 9, p99: 9 }), scenario("small", 16, { p50: 1, p99: 4.5 })],
      rss(80, 0.5),
    );
    expect(checks.map((check) => [check.target, check.met])).toEqual([
      [`added p50 <= ${TARGETS.sequentialAddedP50Ms} ms, 49KB json seq`, true],
      [`added p99 <= ${TARGETS.sequentialAddedP99Ms} ms, 49KB json seq`, false],
      [`added p99 <= ${TARGETS.concurrentAddedP99Ms} ms, small json c16`, false],
      ["RSS <= 90.0 MB under load", true],
      ["RSS <= 90.0 MB after the requests (settled 5 s)", true],
      ["RSS not growing over the second half (trend <= +1.0 MB)", true],
    ]);
  });

  test("a missing 49 KB sequential run counts as a missed target, not as no target", () => {
    const checks = checkOverheadTargets([scenario("small", 16, { p50: 1, p99: 2 })], rss(80, 0));
    expect(checks.find((check) => check.target.startsWith("sequential targets"))?.met).toBe(false);
  });

  test("memory over budget or still growing is reported as missed", () => {
    const checks = checkOverheadTargets([scenario("49KB", 1, { p50: 0.1, p99: 0.5 })], rss(95, 3, 70));
    expect(checks.filter((check) => check.target.startsWith("RSS")).map((check) => [check.measured, check.met])).toEqual([
      ["peak 95.0 MB", false],
      ["70.0 MB", true],
      ["trend +3.0 MB", false],
    ]);
  });
});
