import { describe, expect, test } from "bun:test";
import { BruteForceVectorScan } from "../../../bench/brute-force-vector-scan";
import { createRandomVectors, findNearestByBruteForce } from "../../support/random-vectors";

describe("BruteForceVectorScan", () => {
  test("finds the exact nearest vector, past the buffer's first capacity", () => {
    const random = createRandomVectors(11, 384);
    const stored = Array.from({ length: 300 }, () => random.clustered());
    const scan = new BruteForceVectorScan(384, 16);
    for (const [id, vector] of stored.entries()) scan.add(id + 1000, vector);
    expect(scan.size).toBe(300);
    for (let i = 0; i < 20; i++) {
      const query = random.near(stored[i * 7]!, 1);
      const exact = findNearestByBruteForce(stored, query);
      const [found] = scan.search(query, 1);
      expect(found!.id).toBe(exact.index + 1000);
      expect(found!.similarity).toBeCloseTo(exact.similarity, 5);
    }
  });

  test("returns the k most similar, most similar first", () => {
    const scan = new BruteForceVectorScan(4);
    const unit = (...values: number[]) => Float32Array.from(values);
    scan.add(1, unit(1, 0, 0, 0));
    scan.add(2, unit(0, 1, 0, 0));
    scan.add(3, unit(0.6, 0.8, 0, 0));
    scan.add(4, unit(0.8, 0.6, 0, 0));
    const matches = scan.search(unit(1, 0, 0, 0), 3);
    expect(matches.map((match) => match.id)).toEqual([1, 4, 3]);
    expect(matches.map((match) => match.similarity)).toEqual([1, expect.closeTo(0.8, 6), expect.closeTo(0.6, 6)]);
    expect(scan.search(unit(1, 0, 0, 0), 0)).toEqual([]);
  });

  test("refuses vectors of another length, and lengths it cannot sum four at a time", () => {
    expect(() => new BruteForceVectorScan(6)).toThrow(RangeError);
    const scan = new BruteForceVectorScan(4);
    expect(() => scan.add(1, new Float32Array(8))).toThrow(RangeError);
    expect(() => scan.search(new Float32Array(3), 1)).toThrow(RangeError);
  });
});
