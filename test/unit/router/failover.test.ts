import { describe, expect, test } from "bun:test";
import type { Candidate } from "../../../src/router/candidate";
import { rankByFailover } from "../../../src/router/strategies/failover";
import { candidate, ids, seededRandom } from "./strategy-test-support";

describe("rankByFailover", () => {
  const cases: Array<[string, Candidate[], string[]]> = [
    [
      "the order given, whatever the load, weight or tier",
      [
        candidate("primary", { inFlight: 40, weight: 0.1, priority: 2, latencyEwmaMs: 900 }),
        candidate("second", { weight: 10 }),
        candidate("third", { latencyEwmaMs: 10 }),
      ],
      ["primary", "second", "third"],
    ],
    [
      "a full target goes after every one with a free slot, in the order given",
      [
        candidate("primary", { inFlight: 4, maxConcurrency: 4 }),
        candidate("second", { inFlight: 1, maxConcurrency: 1 }),
        candidate("third", { inFlight: 3, maxConcurrency: 4 }),
      ],
      ["third", "primary", "second"],
    ],
    ["nothing given, nothing ranked", [], []],
  ];

  test.each(cases)("%s", (_name, given, expected) => {
    for (const seed of [1, 2, 3]) expect(ids(rankByFailover(given, { random: seededRandom(seed) }))).toEqual(expected);
  });
});
