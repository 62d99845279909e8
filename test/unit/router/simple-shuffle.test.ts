import { describe, expect, test } from "bun:test";
import { rankBySimpleShuffle } from "../../../src/router/strategies/simple-shuffle";
import { binomialTolerance, candidate, ids, seededRandom } from "./strategy-test-support";

describe("rankBySimpleShuffle", () => {
  test.each([
    ["no candidates", [], []],
    ["one candidate", ["a"], ["a"]],
  ])("%s: returned as given", (_name, given, expected) => {
    expect(
      ids(
        rankBySimpleShuffle(
          given.map((id) => candidate(id)),
          { random: seededRandom(1) },
        ),
      ),
    ).toEqual(expected);
  });

  test("returns every candidate exactly once and leaves the input in place", () => {
    const given = ["a", "b", "c", "d", "e"].map((id) => candidate(id));
    const before = ids(given);
    const random = seededRandom(7);
    for (let draw = 0; draw < 200; draw++) {
      expect(ids(rankBySimpleShuffle(given, { random })).sort()).toEqual(before);
    }
    expect(ids(given)).toEqual(before);
  });

  test("a candidate without a positive weight never goes before one with", () => {
    const random = seededRandom(3);
    const given = [candidate("zero", { weight: 0 }), candidate("one"), candidate("tiny", { weight: 0.001 })];
    for (let draw = 0; draw < 2_000; draw++) expect(rankBySimpleShuffle(given, { random }).at(-1)!.backendId).toBe("zero");
  });

  test("the first pick follows the weights (binomial tolerance over 40,000 draws)", () => {
    const weights: Record<string, number> = { a: 1, b: 2, c: 3, d: 4 };
    const given = Object.entries(weights).map(([id, weight]) => candidate(id, { weight }));
    const counts = countFirstPicks(given, 40_000, 11);
    for (const [id, weight] of Object.entries(weights)) {
      const p = weight / 10;
      expect(Math.abs(counts[id]! - 40_000 * p)).toBeLessThanOrEqual(binomialTolerance(40_000, p));
    }
  });

  test("the second pick follows the weights of those left (sampling without replacement)", () => {
    const weights: Record<string, number> = { a: 1, b: 2, c: 7 };
    const total = 10;
    const given = Object.entries(weights).map(([id, weight]) => candidate(id, { weight }));
    const draws = 40_000;
    const random = seededRandom(23);
    const second: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let draw = 0; draw < draws; draw++) second[rankBySimpleShuffle(given, { random })[1]!.backendId]!++;
    for (const [id, weight] of Object.entries(weights)) {
      // P(second = j) = Σ over i ≠ j of P(first = i) × w_j / (total − w_i)
      const p = Object.entries(weights)
        .filter(([other]) => other !== id)
        .reduce((sum, [, first]) => sum + (first / total) * (weight / (total - first)), 0);
      expect(Math.abs(second[id]! - draws * p)).toBeLessThanOrEqual(binomialTolerance(draws, p));
    }
  });
});

function countFirstPicks(given: ReturnType<typeof candidate>[], draws: number, seed: number): Record<string, number> {
  const random = seededRandom(seed);
  const counts: Record<string, number> = Object.fromEntries(given.map((entry) => [entry.backendId, 0]));
  for (let draw = 0; draw < draws; draw++) counts[rankBySimpleShuffle(given, { random })[0]!.backendId]!++;
  return counts;
}
