import { describe, expect, test } from "bun:test";
import type { Candidate } from "../../../src/router/candidate";
import { rankByLatency } from "../../../src/router/strategies/latency-based";
import { binomialTolerance, candidate, ids, seededRandom } from "./strategy-test-support";

describe("rankByLatency", () => {
  const cases: Array<[string, Candidate[], string[]]> = [
    [
      "lowest time to first byte first",
      [candidate("slow", { latencyEwmaMs: 900 }), candidate("fast", { latencyEwmaMs: 120 }), candidate("mid", { latencyEwmaMs: 400 })],
      ["fast", "mid", "slow"],
    ],
    [
      "a target never measured is tried first, to learn its latency",
      [candidate("fast", { latencyEwmaMs: 120 }), candidate("fresh"), candidate("slow", { latencyEwmaMs: 900 })],
      ["fresh", "fast", "slow"],
    ],
    [
      "a measured latency of 0 still ranks after an unmeasured one",
      [candidate("instant", { latencyEwmaMs: 0 }), candidate("fresh")],
      ["fresh", "instant"],
    ],
  ];

  test.each(cases)("%s", (_name, given, expected) => {
    for (const seed of [1, 2, 3]) expect(ids(rankByLatency(given, { random: seededRandom(seed) }))).toEqual(expected);
  });

  test("several unmeasured targets are explored in weighted random order (binomial tolerance)", () => {
    const given = [candidate("known", { latencyEwmaMs: 10 }), candidate("light", { weight: 1 }), candidate("heavy", { weight: 3 })];
    const random = seededRandom(4);
    let heavyFirst = 0;
    for (let draw = 0; draw < 20_000; draw++) {
      const ranked = ids(rankByLatency(given, { random }));
      expect(ranked[2]).toBe("known");
      if (ranked[0] === "heavy") heavyFirst++;
    }
    expect(Math.abs(heavyFirst - 15_000)).toBeLessThanOrEqual(binomialTolerance(20_000, 0.75));
  });

  test("property: measured targets come out sorted by latency", () => {
    const random = seededRandom(12);
    for (let round = 0; round < 1_000; round++) {
      const given = Array.from({ length: 1 + Math.floor(random() * 10) }, (_, index) =>
        candidate(`c${index}`, { latencyEwmaMs: random() < 0.2 ? undefined : Math.round(random() * 50) }),
      );
      const latencies = rankByLatency(given, { random }).map((entry) => entry.latencyEwmaMs ?? -1);
      expect(latencies).toEqual([...latencies].sort((a, b) => a - b));
    }
  });
});
