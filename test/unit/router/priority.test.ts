import { describe, expect, test } from "bun:test";
import type { Candidate } from "../../../src/router/candidate";
import { rankByPriority } from "../../../src/router/strategies/priority";
import { binomialTolerance, candidate, ids, seededRandom } from "./strategy-test-support";

describe("rankByPriority", () => {
  const cases: Array<[string, Candidate[], string[]]> = [
    [
      "lowest tier first",
      [candidate("cloud", { priority: 2 }), candidate("lan", { priority: 1 }), candidate("local")],
      ["local", "lan", "cloud"],
    ],
    [
      "a full lower tier spills to the next tier, and is tried after every free slot",
      [
        candidate("local", { inFlight: 4, maxConcurrency: 4 }),
        candidate("cloud", { priority: 2 }),
        candidate("lan", { priority: 1, inFlight: 1, maxConcurrency: 2 }),
      ],
      ["lan", "cloud", "local"],
    ],
    [
      "every tier full: lowest tier first",
      [candidate("lan", { priority: 1, inFlight: 2, maxConcurrency: 2 }), candidate("local", { inFlight: 4, maxConcurrency: 4 })],
      ["local", "lan"],
    ],
    [
      "a tier with one free target still has capacity",
      [
        candidate("local-a", { inFlight: 4, maxConcurrency: 4 }),
        candidate("lan", { priority: 1 }),
        candidate("local-b", { inFlight: 1, maxConcurrency: 4 }),
      ],
      ["local-b", "lan", "local-a"],
    ],
    [
      "an unlimited target always has capacity",
      [candidate("lan", { priority: 1 }), candidate("local", { inFlight: 500 })],
      ["local", "lan"],
    ],
  ];

  test.each(cases)("%s", (_name, given, expected) => {
    for (const seed of [1, 2, 3]) expect(ids(rankByPriority(given, { random: seededRandom(seed) }))).toEqual(expected);
  });

  test("inside a tier the pick follows the weights (binomial tolerance over 20,000 draws)", () => {
    const given = [candidate("a", { weight: 1 }), candidate("b", { weight: 4 }), candidate("other-tier", { priority: 1, weight: 100 })];
    const random = seededRandom(2);
    let bFirst = 0;
    for (let draw = 0; draw < 20_000; draw++) {
      const ranked = ids(rankByPriority(given, { random }));
      expect(ranked[2]).toBe("other-tier");
      if (ranked[0] === "b") bFirst++;
    }
    expect(Math.abs(bFirst - 16_000)).toBeLessThanOrEqual(binomialTolerance(20_000, 0.8));
  });

  test("property: never picks a higher tier while a lower tier has capacity, and free slots come before full ones", () => {
    const random = seededRandom(31);
    for (let round = 0; round < 3_000; round++) {
      const given = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, index) => {
        const maxConcurrency = random() < 0.2 ? Number.POSITIVE_INFINITY : 1 + Math.floor(random() * 4);
        return candidate(`c${index}`, {
          priority: Math.floor(random() * 3),
          maxConcurrency,
          inFlight: Math.floor(random() * 5),
          weight: 0.5 + random() * 3,
        });
      });
      const ranked = rankByPriority(given, { random });
      const free = (entry: Candidate) => entry.inFlight < entry.maxConcurrency;
      const lowestFreeTier = Math.min(...given.filter(free).map((entry) => entry.priority));
      if (Number.isFinite(lowestFreeTier)) {
        expect(free(ranked[0]!)).toBe(true);
        expect(ranked[0]!.priority).toBe(lowestFreeTier);
      }
      const firstFull = ranked.findIndex((entry) => !free(entry));
      if (firstFull >= 0) expect(ranked.slice(firstFull).every((entry) => !free(entry))).toBe(true);
    }
  });
});
