/** Histograms read back: the stored JSON, sums of them, and percentiles as the rank's bucket's geometric middle. */
import { describe, expect, test } from "bun:test";
import { addHistogram, estimatePercentile, readStoredHistogram } from "../../../src/history/latency-buckets";

const middle = (bucket: number) => 2 ** ((bucket + 0.5) / 4);

describe("estimatePercentile", () => {
  test.each([
    ["nothing counted", [], 0.5, null],
    ["one bucket", [[40, 3]], 0.99, middle(40)],
    [
      "the median's bucket",
      [
        [40, 5],
        [44, 5],
      ],
      0.5,
      middle(40),
    ],
    [
      "just past the median",
      [
        [40, 4],
        [44, 6],
      ],
      0.5,
      middle(44),
    ],
    [
      "p95 of 100 with 5 slow",
      [
        [30, 95],
        [50, 5],
      ],
      0.95,
      middle(30),
    ],
    [
      "p99 of 100 with 5 slow",
      [
        [30, 95],
        [50, 5],
      ],
      0.99,
      middle(50),
    ],
    [
      "buckets in any order, below 1 ms too",
      [
        [8, 1],
        [-20, 3],
      ],
      0.5,
      middle(-20),
    ],
  ] as [string, [number, number][], number, number | null][])("%s", (_, counts, quantile, expected) => {
    expect(estimatePercentile(new Map(counts), quantile)).toBe(expected);
  });

  test("a bucket's middle is within 2^(1/8) - 1 = 9.05 % of any duration filed under it", () => {
    for (const ms of [0.02, 0.7, 1, 13, 999, 1000, 1024, 1024 * 2 ** 0.2499, 65_000]) {
      const bucket = Math.floor(4 * Math.log2(ms));
      const estimate = estimatePercentile(new Map([[bucket, 1]]), 0.5)!;
      expect(Math.abs(estimate - ms) / ms).toBeLessThanOrEqual(2 ** (1 / 8) - 1 + 1e-12);
    }
  });
});

describe("stored histograms", () => {
  test("read from the store's JSON, negative buckets included, and added up", () => {
    const total = readStoredHistogram('{"39":2,"-4":1}');
    expect(total).toEqual(
      new Map([
        [39, 2],
        [-4, 1],
      ]),
    );
    addHistogram(total, readStoredHistogram('{"39":1,"46":1}'));
    addHistogram(total, readStoredHistogram("{}"));
    expect(total).toEqual(
      new Map([
        [39, 3],
        [-4, 1],
        [46, 1],
      ]),
    );
  });
});
