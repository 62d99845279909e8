import { describe, expect, test } from "bun:test";
import { STRATEGY_NAMES } from "../../../src/config/config-choices";
import { type Candidate, rankCandidates } from "../../../src/router/rank-candidates";
import { candidate, ids, seededRandom } from "./strategy-test-support";

describe("rankCandidates", () => {
  test("lists all seven strategies", () => {
    expect([...STRATEGY_NAMES].sort()).toEqual([
      "failover",
      "latency-based",
      "least-busy",
      "prefix-affinity",
      "priority",
      "simple-shuffle",
      "usage-based",
    ]);
  });

  test.each(STRATEGY_NAMES)("%s: unavailable targets go last, in the order given", (strategy) => {
    const given = [
      candidate("down-1", { available: false }),
      candidate("up-1", { priority: 1, inFlight: 3, tokensPerMinute: 900, latencyEwmaMs: 800 }),
      candidate("down-2", { available: false }),
      candidate("up-2", { inFlight: 1, tokensPerMinute: 100, latencyEwmaMs: 100 }),
    ];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const ranked = ids(rankCandidates(strategy, given, { random: seededRandom(seed), affinityKey: `key-${seed}` }));
      expect(ranked.slice(2)).toEqual(["down-1", "down-2"]);
      expect(ranked.slice(0, 2).sort()).toEqual(["up-1", "up-2"]);
    }
  });

  test.each(STRATEGY_NAMES)("%s: nothing available still gives an order to try", (strategy) => {
    const given = [candidate("a", { available: false }), candidate("b", { available: false })];
    expect(ids(rankCandidates(strategy, given, { random: seededRandom(1) }))).toEqual(["a", "b"]);
  });

  test.each(STRATEGY_NAMES)("%s property: a permutation of the input, which is left untouched", (strategy) => {
    const random = seededRandom(strategy.length);
    for (let round = 0; round < 500; round++) {
      const given: Candidate[] = Array.from({ length: Math.floor(random() * 10) }, (_, index) =>
        candidate(`c${index}`, {
          weight: 0.1 + random() * 5,
          priority: Math.floor(random() * 3),
          inFlight: Math.floor(random() * 8),
          maxConcurrency: random() < 0.5 ? Number.POSITIVE_INFINITY : 1 + Math.floor(random() * 8),
          tokensPerMinute: Math.floor(random() * 50_000),
          latencyEwmaMs: random() < 0.2 ? undefined : random() * 2_000,
          available: random() < 0.8,
        }),
      );
      const before = ids(given);
      const ranked = rankCandidates(strategy, given, { random, affinityKey: random() < 0.5 ? `k${round}` : undefined });
      expect(ids(ranked).sort()).toEqual([...before].sort());
      expect(ids(given)).toEqual(before);
    }
  });

  test("prefix-affinity bounds load over the available targets only", () => {
    // The busy unavailable target would raise the average and let the home overload if it counted.
    const key = "conversation-7";
    const up = [candidate("a"), candidate("b")];
    const homeId = rankCandidates("prefix-affinity", up, { random: seededRandom(1), affinityKey: key })[0]!.backendId;
    const given = [
      ...up.map((entry) => (entry.backendId === homeId ? { ...entry, inFlight: 2 } : entry)),
      candidate("down", { available: false, inFlight: 40 }),
    ];
    expect(rankCandidates("prefix-affinity", given, { random: seededRandom(1), affinityKey: key })[0]!.backendId).not.toBe(homeId);
  });
});
