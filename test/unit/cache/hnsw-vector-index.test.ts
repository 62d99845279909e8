import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HnswVectorIndex } from "../../../src/cache/hnsw-vector-index";
import { type HnswlibAddon, loadHnswlibAddon } from "../../../src/cache/load-hnswlib-addon";
import { cosineSimilarity, createRandomVectors } from "../../support/random-vectors";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-hnsw-"));
let addon: HnswlibAddon;
let files = 0;

beforeAll(async () => {
  addon = (await loadHnswlibAddon(join(dir, "cache"))).addon;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function newIndex(dimensions = 4): HnswVectorIndex {
  return HnswVectorIndex.create(addon, { path: join(dir, `index-${++files}.hnsw`), dimensions });
}

const v = (...values: number[]) => Float32Array.from(values);

async function reload(index: HnswVectorIndex): Promise<HnswVectorIndex> {
  const loaded = await HnswVectorIndex.load(addon, { path: index.path, dimensions: index.dimensions });
  if (!("index" in loaded)) throw new Error(`could not reload ${index.path}: ${loaded.problem}`);
  return loaded.index;
}

describe("HnswVectorIndex", () => {
  test("similarities are cosines: identical and scaled 1, orthogonal 0, opposite -1, 45° 0.7071", () => {
    const index = newIndex();
    index.add(1, v(1, 0, 0, 0));
    index.add(2, v(1, 1, 0, 0));
    index.add(3, v(0, 0, 1, 0));
    index.add(4, v(-1, 0, 0, 0));
    const matches = index.search(v(3, 0, 0, 0), 4);
    expect(matches.map((match) => match.id)).toEqual([1, 2, 3, 4]);
    const [identical, diagonal, orthogonal, opposite] = matches.map((match) => match.similarity);
    expect(identical).toBeCloseTo(1, 5);
    expect(diagonal).toBeCloseTo(Math.SQRT1_2, 5);
    expect(orthogonal).toBeCloseTo(0, 5);
    expect(opposite).toBeCloseTo(-1, 5);
  });

  test("similarity agrees with a cosine computed by hand for random 384-d vectors", () => {
    const random = createRandomVectors(7, 384);
    const index = newIndex(384);
    const stored = random.clustered();
    index.add(10, stored);
    const query = random.near(stored, 0.8);
    expect(index.search(query, 1)[0]!.similarity).toBeCloseTo(cosineSimilarity(stored, query), 5);
  });

  test("k above the size returns every entry; an empty index returns none", () => {
    const index = newIndex();
    expect(index.search(v(1, 0, 0, 0), 5)).toEqual([]);
    index.add(1, v(1, 0, 0, 0));
    index.add(2, v(0, 1, 0, 0));
    expect(index.search(v(1, 0, 0, 0), 5).map((match) => match.id)).toEqual([1, 2]);
    expect(index.size).toBe(2);
  });

  test("remove: the entry is no longer found, removing twice or an unknown id does nothing", () => {
    const index = newIndex();
    index.add(1, v(1, 0, 0, 0));
    index.add(2, v(0.9, 0.1, 0, 0));
    index.remove(1);
    index.remove(1);
    index.remove(99);
    expect(index.size).toBe(1);
    expect(index.search(v(1, 0, 0, 0), 2).map((match) => match.id)).toEqual([2]);
  });

  test("adding an id again replaces its vector, also after it was removed", () => {
    const index = newIndex();
    index.add(1, v(1, 0, 0, 0));
    index.add(2, v(0, 1, 0, 0));
    index.add(1, v(0, 0, 1, 0));
    expect(index.size).toBe(2);
    expect(index.search(v(0, 0, 1, 0), 1)).toEqual([{ id: 1, similarity: expect.closeTo(1, 5) }]);
    index.remove(2);
    index.add(3, v(0, 0, 0, 1)); // may take 2's slot
    index.add(2, v(1, 0, 0, 0));
    expect(index.size).toBe(3);
    const all = index.search(v(1, 0, 0, 0), 3);
    expect(all.map((match) => match.id).sort()).toEqual([1, 2, 3]);
    expect(all[0]).toEqual({ id: 2, similarity: expect.closeTo(1, 5) });
  });

  test("grows past its initial capacity and finds every entry", () => {
    const random = createRandomVectors(11, 16);
    const index = newIndex(16);
    const vectors = Array.from({ length: 2500 }, () => random.uniform());
    for (const [id, vector] of vectors.entries()) index.add(id, vector);
    expect(index.size).toBe(2500);
    const missed = vectors.filter((vector, id) => index.search(vector, 1)[0]?.id !== id).length;
    expect(missed).toBe(0);
  });

  test("removed entries' slots are reused: eviction churn does not grow the file", async () => {
    const random = createRandomVectors(12, 32);
    const index = newIndex(32);
    for (let id = 0; id < 200; id++) index.add(id, random.uniform());
    await index.save();
    const before = statSync(index.path).size;
    for (let id = 0; id < 100; id++) index.remove(id);
    for (let id = 1000; id < 1100; id++) index.add(id, random.uniform());
    await index.save();
    expect(statSync(index.path).size).toBe(before);
    const reloaded = await reload(index);
    expect(reloaded.size).toBe(200);
  });

  test("rejects a vector of other dimensions, a NaN, a zero vector and an id hnswlib cannot hold", () => {
    const index = newIndex();
    expect(() => index.add(1, v(1, 0, 0))).toThrow(new RangeError("expected a 4-dimensional vector, got 3"));
    expect(() => index.search(v(1, 0, 0, 0, 0), 1)).toThrow(RangeError);
    expect(() => index.add(1, v(1, Number.NaN, 0, 0))).toThrow(RangeError);
    expect(() => index.add(1, v(0, 0, 0, 0))).toThrow(RangeError);
    expect(() => index.add(-1, v(1, 0, 0, 0))).toThrow(RangeError);
    expect(() => index.add(2 ** 32, v(1, 0, 0, 0))).toThrow(RangeError);
    expect(() => index.add(1.5, v(1, 0, 0, 0))).toThrow(RangeError);
    expect(index.size).toBe(0);
  });

  test("save and load: the same entries, the same answers, removals included", async () => {
    const random = createRandomVectors(13, 64);
    const index = newIndex(64);
    const vectors = Array.from({ length: 300 }, () => random.clustered());
    for (const [id, vector] of vectors.entries()) index.add(id, vector);
    for (let id = 0; id < 300; id += 3) index.remove(id);
    await index.save();
    const reloaded = await reload(index);
    expect(reloaded.size).toBe(200);
    const queries = Array.from({ length: 50 }, () => random.clustered());
    for (const query of queries) expect(reloaded.search(query, 5)).toEqual(index.search(query, 5));
    expect(reloaded.search(vectors[0]!, 1)[0]!.id).not.toBe(0);
    expect(reloaded.search(vectors[1]!, 1)[0]).toEqual({ id: 1, similarity: expect.closeTo(1, 5) });
  });

  test("changes made while a save is writing take effect at once for callers and reach the next save", async () => {
    const random = createRandomVectors(14, 64);
    const index = newIndex(64);
    const vectors = Array.from({ length: 2000 }, () => random.uniform());
    for (const [id, vector] of vectors.entries()) index.add(id, vector);
    const saving = index.save();
    index.remove(5);
    index.add(5000, vectors[5]!);
    expect(index.size).toBe(2000);
    expect(index.search(vectors[5]!, 1).map((match) => match.id)).not.toContain(5);
    await saving;
    expect(index.search(vectors[5]!, 1).map((match) => match.id)).toEqual([5000]);
    const savedFirst = await reload(index);
    expect(savedFirst.search(vectors[5]!, 1).map((match) => match.id)).toEqual([5]);
    await index.save();
    const savedSecond = await reload(index);
    expect(savedSecond.search(vectors[5]!, 1).map((match) => match.id)).toEqual([5000]);
    expect(savedSecond.size).toBe(2000);
  });
});
