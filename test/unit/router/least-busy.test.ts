import { describe, expect, test } from "bun:test";
import type { Candidate } from "../../../src/router/candidate";
import { rankByLeastBusy } from "../../../src/router/strategies/least-busy";
import { binomialTolerance, candidate, ids, seededRandom } from "./strategy-test-support";

const unlimited = Number.POSITIVE_INFINITY;

describe("rankByLeastBusy", () => {
  const cases: Array<[string, Candidate[], string[]]> = [
    [
      "fewest in flight first",
      [candidate("a", { inFlight: 3 }), candidate("b", { inFlight: 1 }), candidate("c", { inFlight: 2 })],
      ["b", "c", "a"],
    ],
    [
      "in flight relative to the limit: 3 of 8 is less busy than 2 of 4",
      [candidate("llama", { inFlight: 2, maxConcurrency: 4 }), candidate("vllm", { inFlight: 3, maxConcurrency: 8 })],
      ["vllm", "llama"],
    ],
    [
      "a full target goes after one with a free slot, however loaded",
      [candidate("full", { inFlight: 4, maxConcurrency: 4 }), candidate("open", { inFlight: 9, maxConcurrency: unlimited })],
      ["open", "full"],
    ],
    [
      "an unlimited target counts each request as a whole slot",
      [candidate("unlimited", { inFlight: 1 }), candidate("half", { inFlight: 2, maxConcurrency: 4 })],
      ["half", "unlimited"],
    ],
    [
      "equally busy: the higher weight first",
      [candidate("light", { inFlight: 1, weight: 1 }), candidate("heavy", { inFlight: 1, weight: 3 })],
      ["heavy", "light"],
    ],
    [
      "full targets among themselves: least over first",
      [candidate("over", { inFlight: 6, maxConcurrency: 4 }), candidate("at", { inFlight: 4, maxConcurrency: 4 })],
      ["at", "over"],
    ],
  ];

  test.each(cases)("%s", (_name, given, expected) => {
    // The order must not depend on the draw: try several seeds.
    for (const seed of [1, 2, 3, 4, 5]) expect(ids(rankByLeastBusy(given, { random: seededRandom(seed) }))).toEqual(expected);
  });

  test("exact ties are broken at random, evenly (binomial tolerance over 20,000 draws)", () => {
    const given = [candidate("a", { inFlight: 2 }), candidate("b", { inFlight: 2 }), candidate("busy", { inFlight: 3 })];
    const random = seededRandom(5);
    let aFirst = 0;
    for (let draw = 0; draw < 20_000; draw++) {
      const ranked = ids(rankByLeastBusy(given, { random }));
      expect(ranked[2]).toBe("busy");
      if (ranked[0] === "a") aFirst++;
    }
    expect(Math.abs(aFirst - 10_000)).toBeLessThanOrEqual(binomialTolerance(20_000, 0.5));
  });

  test("property: the first pick is never busier than any other target with a free slot", () => {
    const random = seededRandom(99);
    for (let round = 0; round < 2_000; round++) {
      const given = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, index) => {
        const maxConcurrency = random() < 0.3 ? unlimited : 1 + Math.floor(random() * 8);
        return candidate(`c${index}`, { maxConcurrency, inFlight: Math.floor(random() * 10) });
      });
      const [first] = rankByLeastBusy(given, { random });
      const load = (entry: Candidate) => entry.inFlight / (Number.isFinite(entry.maxConcurrency) ? entry.maxConcurrency : 1);
      const open = given.filter((entry) => entry.inFlight < entry.maxConcurrency);
      if (open.length > 0) {
        expect(first!.inFlight).toBeLessThan(first!.maxConcurrency);
        for (const other of open) expect(load(first!)).toBeLessThanOrEqual(load(other));
      }
    }
  });
});
