import { describe, expect, test } from "bun:test";
import type { Candidate } from "../../../src/router/candidate";
import { rankCandidates } from "../../../src/router/rank-candidates";
import { rankByPrefixAffinity } from "../../../src/router/strategies/prefix-affinity";
import { rankBySimpleShuffle } from "../../../src/router/strategies/simple-shuffle";
import { binomialTolerance, candidate, ids, seededRandom } from "./strategy-test-support";

/** The documented load factor c: written out, so that changing it in the source fails here. */
const LOAD_FACTOR = 1.25;
const KEYS = Array.from({ length: 4_000 }, (_, index) => `conversation-${index}`);
const five = ["llama-a", "llama-b", "ollama", "vllm", "lan"].map((id) => candidate(id));

function home(candidates: readonly Candidate[], key: string): string {
  return rankByPrefixAffinity(candidates, { random: seededRandom(1), affinityKey: key })[0]!.backendId;
}

describe("rankByPrefixAffinity", () => {
  test("without a key it is the weighted shuffle", () => {
    const given = [candidate("a", { weight: 2 }), candidate("b"), candidate("c", { weight: 5 })];
    for (const seed of [1, 2, 3, 4]) {
      expect(ids(rankByPrefixAffinity(given, { random: seededRandom(seed) }))).toEqual(
        ids(rankBySimpleShuffle(given, { random: seededRandom(seed) })),
      );
      expect(ids(rankByPrefixAffinity(given, { random: seededRandom(seed), affinityKey: "" }))).toEqual(
        ids(rankBySimpleShuffle(given, { random: seededRandom(seed) })),
      );
    }
  });

  test("the same key always gets the same order, whatever the random source and the input order", () => {
    for (const key of KEYS.slice(0, 500)) {
      const first = ids(rankByPrefixAffinity(five, { random: seededRandom(1), affinityKey: key }));
      expect(ids(rankByPrefixAffinity([...five].reverse(), { random: seededRandom(2), affinityKey: key }))).toEqual(first);
    }
  });

  test("keys spread evenly over equal targets (binomial tolerance)", () => {
    const counts = new Map<string, number>();
    for (const key of KEYS) counts.set(home(five, key), (counts.get(home(five, key)) ?? 0) + 1);
    for (const target of five) {
      expect(Math.abs((counts.get(target.backendId) ?? 0) - KEYS.length / 5)).toBeLessThanOrEqual(binomialTolerance(KEYS.length, 1 / 5));
    }
  });

  test("keys spread by weight: weight 3 is home to three times the keys of weight 1 (binomial tolerance)", () => {
    const given = [candidate("light"), candidate("heavy", { weight: 3 })];
    const heavy = KEYS.filter((key) => home(given, key) === "heavy").length;
    expect(Math.abs(heavy - KEYS.length * 0.75)).toBeLessThanOrEqual(binomialTolerance(KEYS.length, 0.75));
  });

  test("removing a target moves only the keys that were on it", () => {
    const before = new Map(KEYS.map((key) => [key, home(five, key)]));
    const removed = "ollama";
    const after = five.filter((entry) => entry.backendId !== removed);
    let moved = 0;
    for (const key of KEYS) {
      const now = home(after, key);
      if (before.get(key) === removed) moved++;
      else expect(now).toBe(before.get(key)!);
    }
    expect(moved).toBeGreaterThan(0);
  });

  test("a target marked unavailable is the same as a removed one, and gets its keys back when it returns", () => {
    const down = five.map((entry) => (entry.backendId === "vllm" ? { ...entry, available: false } : entry));
    const without = five.filter((entry) => entry.backendId !== "vllm");
    for (const key of KEYS.slice(0, 1_000)) {
      const ranked = ids(rankCandidates("prefix-affinity", down, { random: seededRandom(1), affinityKey: key }));
      expect(ranked.slice(0, 4)).toEqual(ids(rankByPrefixAffinity(without, { random: seededRandom(1), affinityKey: key })));
      expect(ranked[4]).toBe("vllm");
      expect(home(five, key)).toBe(home([...without, candidate("vllm")], key));
    }
  });

  test("adding a target moves keys only onto the new one", () => {
    const grown = [...five, candidate("new")];
    for (const key of KEYS) {
      const now = home(grown, key);
      if (now !== "new") expect(now).toBe(home(five, key));
    }
  });

  test.each([
    ["a saturated home spills to the next target in the key's order", { inFlight: 2, maxConcurrency: 2 }],
    ["a home over 1.25 × its share spills to the next target in the key's order", { inFlight: 3 }],
  ])("%s", (_name, homeLoad) => {
    const key = KEYS[0]!;
    const order = ids(rankByPrefixAffinity(five, { random: seededRandom(1), affinityKey: key }));
    // With 3 in flight on one of 5 targets, its bound is ceil(1.25 × 4 / 5) = 1.
    const loaded = five.map((entry) => (entry.backendId === order[0] ? { ...entry, ...homeLoad } : entry));
    expect(ids(rankByPrefixAffinity(loaded, { random: seededRandom(1), affinityKey: key }))).toEqual([...order.slice(1), order[0]!]);
  });

  test("a home within its bound keeps the key under load", () => {
    const key = KEYS[1]!;
    const homeId = home(five, key);
    // 2 in flight at home, 6 elsewhere: bound = ceil(1.25 × 9 / 5) = 3 > 2.
    const elsewhere = [2, 2, 1, 1];
    const loaded = five.map((entry) => ({ ...entry, inFlight: entry.backendId === homeId ? 2 : elsewhere.pop()! }));
    expect(home(loaded, key)).toBe(homeId);
  });

  test("property: the pick is the first target in the key's order that has capacity and stays within its bound", () => {
    const random = seededRandom(77);
    for (let round = 0; round < 2_000; round++) {
      const given = Array.from({ length: 2 + Math.floor(random() * 6) }, (_, index) =>
        candidate(`c${index}`, {
          weight: 1 + Math.floor(random() * 3),
          inFlight: Math.floor(random() * 6),
          maxConcurrency: random() < 0.5 ? Number.POSITIVE_INFINITY : 1 + Math.floor(random() * 6),
        }),
      );
      const key = KEYS[round]!;
      const idle = given.map((entry) => ({ ...entry, inFlight: 0, maxConcurrency: Number.POSITIVE_INFINITY }));
      const keyOrder = ids(rankByPrefixAffinity(idle, { random, affinityKey: key }));
      const totalLoad = given.reduce((sum, entry) => sum + entry.inFlight, 0);
      const totalWeight = given.reduce((sum, entry) => sum + entry.weight, 0);
      const eligible = (entry: Candidate) =>
        entry.inFlight < entry.maxConcurrency &&
        entry.inFlight + 1 <= Math.ceil((LOAD_FACTOR * (totalLoad + 1) * entry.weight) / totalWeight);
      const expected = keyOrder.find((id) => eligible(given.find((entry) => entry.backendId === id)!));
      const picked = rankByPrefixAffinity(given, { random, affinityKey: key })[0]!.backendId;
      expect(picked).toBe(expected ?? keyOrder[0]!);
    }
  });

  test("property: one hot conversation never loads any target beyond ceil(1.25 × the average)", () => {
    for (const count of [2, 3, 5, 8]) {
      const loads = new Map(Array.from({ length: count }, (_, index) => [`c${index}`, 0]));
      for (let request = 1; request <= 200; request++) {
        const given = [...loads].map(([id, inFlight]) => candidate(id, { inFlight }));
        const picked = rankByPrefixAffinity(given, { random: seededRandom(request), affinityKey: "hot" })[0]!.backendId;
        loads.set(picked, loads.get(picked)! + 1);
        expect(Math.max(...loads.values())).toBeLessThanOrEqual(Math.ceil((LOAD_FACTOR * request) / count));
      }
    }
  });
});
