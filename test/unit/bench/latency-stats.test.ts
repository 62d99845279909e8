import { describe, expect, test } from "bun:test";
import { subtractPercentiles, summarizeLatencies } from "../../../bench/latency-stats";

describe("summarizeLatencies", () => {
  test("takes nearest-rank percentiles, whatever the input order", () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200 down to 1
    expect(summarizeLatencies(samples)).toEqual({ p50: 100, p95: 190, p99: 198 });
  });

  test("every percentile of a single sample is that sample", () => {
    expect(summarizeLatencies([0.7])).toEqual({ p50: 0.7, p95: 0.7, p99: 0.7 });
  });

  test("does not reorder the caller's array", () => {
    const samples = [3, 1, 2];
    summarizeLatencies(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  test("refuses an empty run rather than inventing a figure", () => {
    expect(() => summarizeLatencies([])).toThrow("no samples");
  });
});

describe("subtractPercentiles", () => {
  test("subtracts each percentile from its counterpart", () => {
    expect(subtractPercentiles({ p50: 1.5, p95: 3, p99: 5 }, { p50: 0.5, p95: 1, p99: 4 })).toEqual({ p50: 1, p95: 2, p99: 1 });
  });
});
