import { describe, expect, test } from "bun:test";
import type { Candidate } from "../../../src/router/candidate";
import { rankByUsage } from "../../../src/router/strategies/usage-based";
import { binomialTolerance, candidate, ids, seededRandom } from "./strategy-test-support";

describe("rankByUsage", () => {
  const cases: Array<[string, Candidate[], string[]]> = [
    [
      "fewest tokens per minute first",
      [candidate("a", { tokensPerMinute: 5_000 }), candidate("b", { tokensPerMinute: 100 }), candidate("c", { tokensPerMinute: 900 })],
      ["b", "c", "a"],
    ],
    [
      "relative to weight: 9,000 at weight 3 is less than 4,000 at weight 1",
      [candidate("small", { tokensPerMinute: 4_000 }), candidate("big", { tokensPerMinute: 9_000, weight: 3 })],
      ["big", "small"],
    ],
    [
      "in-flight counts do not matter, tokens do",
      [candidate("many-short", { inFlight: 8, tokensPerMinute: 800 }), candidate("one-long", { inFlight: 1, tokensPerMinute: 60_000 })],
      ["many-short", "one-long"],
    ],
  ];

  test.each(cases)("%s", (_name, given, expected) => {
    for (const seed of [1, 2, 3]) expect(ids(rankByUsage(given, { random: seededRandom(seed) }))).toEqual(expected);
  });

  test("idle targets tie and are picked evenly (binomial tolerance over 30,000 draws)", () => {
    const given = [candidate("a"), candidate("b"), candidate("c"), candidate("used", { tokensPerMinute: 1 })];
    const random = seededRandom(8);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let draw = 0; draw < 30_000; draw++) {
      const ranked = ids(rankByUsage(given, { random }));
      expect(ranked[3]).toBe("used");
      counts[ranked[0]!]!++;
    }
    for (const count of Object.values(counts)) expect(Math.abs(count - 10_000)).toBeLessThanOrEqual(binomialTolerance(30_000, 1 / 3));
  });
});
