/** Percentiles read back from quarter-doubling buckets: the rank's bucket, its geometric middle. */
import { describe, expect, test } from "bun:test";
import { estimatePercentile } from "../../../src/history/latency-buckets";

const middle = (bucket: number) => 2 ** ((bucket + 0.5) / 4);

describe("estimatePercentile", () => {
  test.each([
    ["nothing counted", [], 0.5, null],
    ["one bucket", [{ bucket: 40, count: 3 }], 0.99, middle(40)],
    [
      "the median's bucket",
      [
        { bucket: 40, count: 5 },
        { bucket: 44, count: 5 },
      ],
      0.5,
      middle(40),
    ],
    [
      "just past the median",
      [
        { bucket: 40, count: 4 },
        { bucket: 44, count: 6 },
      ],
      0.5,
      middle(44),
    ],
    [
      "p95 of 100 with 5 slow",
      [
        { bucket: 30, count: 95 },
        { bucket: 50, count: 5 },
      ],
      0.95,
      middle(30),
    ],
    [
      "p99 of 100 with 5 slow",
      [
        { bucket: 30, count: 95 },
        { bucket: 50, count: 5 },
      ],
      0.99,
      middle(50),
    ],
    [
      "buckets in any order, below 1 ms too",
      [
        { bucket: 8, count: 1 },
        { bucket: -20, count: 3 },
      ],
      0.5,
      middle(-20),
    ],
  ])("%s", (_, buckets, quantile, expected) => {
    expect(estimatePercentile(buckets, quantile)).toBe(expected);
  });

  test("a bucket's middle is within 2^(1/8) - 1 = 9.05 % of any duration filed under it", () => {
    for (const ms of [0.02, 0.7, 1, 13, 999, 1000, 1024, 1024 * 2 ** 0.2499, 65_000]) {
      const bucket = Math.floor(4 * Math.log2(ms));
      const estimate = estimatePercentile([{ bucket, count: 1 }], 0.5)!;
      expect(Math.abs(estimate - ms) / ms).toBeLessThanOrEqual(2 ** (1 / 8) - 1 + 1e-12);
    }
  });
});
