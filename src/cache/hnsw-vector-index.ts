/**
 * The semantic cache's VectorIndex on hnswlib-node: an HNSW graph in cosine space, held in
 * memory and saved to a file beside the database. openVectorIndex (open-vector-index.ts) is how
 * the rest of the code gets one; this class is what it hands back.
 */
import type { HierarchicalNSW } from "hnswlib-node";
import { checkHnswIndexFile, writeHnswIndexFile } from "./hnsw-index-file";
import type { HnswlibAddon } from "./load-hnswlib-addon";
import type { VectorIndex, VectorMatch } from "./vector-index";

/**
 * M and efConstruction are hnswlib's recommended middle ground. efSearch 64 found the exact
 * nearest neighbour for every query whose neighbour was at least loosely related (cosine ≥ 0.5)
 * in 10,000 clustered 384-d vectors, at about 0.2 ms a query here; only queries unrelated to
 * everything (uniform noise, best cosine about 0.2, far below any hit threshold) needed more.
 * bench/vector-index.ts measures it.
 */
export const HNSW_SETTINGS = { m: 16, efConstruction: 200, efSearch: 64, initialCapacity: 1024, randomSeed: 100 } as const;

/** hnswlib-node takes labels as unsigned 32-bit integers; SQLite row ids fit. */
const MAX_ID = 2 ** 32 - 1;

/**
 * Not safe to share between processes: each keeps its own graph and the last save wins.
 *
 * @example
 * const index = HnswVectorIndex.create(addon, { path: "/data/anyclaude/semantic.hnsw", dimensions: 384 });
 * index.add(42, embedding);
 * index.search(queryEmbedding, 1); // [{ id: 42, similarity: 0.97 }]
 * await index.save();
 */
export class HnswVectorIndex implements VectorIndex {
  /** Ids as callers see them, updated at once. */
  private readonly live: Set<number>;
  /** Ids live in the graph itself; differs from `live` only while a save defers changes. */
  private readonly graphLive: Set<number>;
  /** Graph changes made while hnswlib writes the file from another thread, applied after it. */
  private readonly deferred: Array<() => void> = [];
  private writing = false;
  private dirty: boolean;
  /** Saves under way or queued, and the last of them. */
  private saves = 0;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly hnsw: HierarchicalNSW,
    readonly path: string,
    readonly dimensions: number,
    liveIds: Iterable<number>,
    dirty: boolean,
  ) {
    this.live = new Set(liveIds);
    this.graphLive = new Set(this.live);
    this.dirty = dirty;
    hnsw.setEf(HNSW_SETTINGS.efSearch);
  }

  /** An empty index with room for `capacity` vectors before its first resize. */
  static create(addon: HnswlibAddon, options: { path: string; dimensions: number; capacity?: number }): HnswVectorIndex {
    const hnsw = new addon.HierarchicalNSW("cosine", options.dimensions);
    const { m, efConstruction, initialCapacity, randomSeed } = HNSW_SETTINGS;
    // allowReplaceDeleted: a removed entry's slot is reused, so eviction churn does not grow the file.
    hnsw.initIndex(Math.max(initialCapacity, options.capacity ?? 0), m, efConstruction, randomSeed, true);
    return new HnswVectorIndex(hnsw, options.path, options.dimensions, [], true);
  }

  /** The index saved at `path`, or why it cannot be used (missing, damaged, other dimensions). */
  static async load(
    addon: HnswlibAddon,
    options: { path: string; dimensions: number },
  ): Promise<{ index: HnswVectorIndex } | { missing: boolean; problem: string }> {
    const check = await checkHnswIndexFile(options.path, options.dimensions);
    if (!check.ok) return check;
    const hnsw = new addon.HierarchicalNSW("cosine", options.dimensions);
    try {
      await hnsw.readIndex(options.path, true);
    } catch (error) {
      return { missing: false, problem: `hnswlib could not read it: ${(error as Error).message}` };
    }
    const deleted = new Set(check.manifest.deletedIds);
    const liveIds = hnsw.getIdsList().filter((id) => !deleted.has(id));
    if (liveIds.length !== check.manifest.entries) {
      return { missing: false, problem: `it holds ${liveIds.length} live entries, its manifest says ${check.manifest.entries}` };
    }
    return { index: new HnswVectorIndex(hnsw, options.path, options.dimensions, liveIds, false) };
  }

  get size(): number {
    return this.live.size;
  }

  /** Adds or replaces the vector of `id`. Throws a RangeError for a bad id or vector. */
  add(id: number, vector: Float32Array): void {
    if (!Number.isInteger(id) || id < 0 || id > MAX_ID) throw new RangeError(`vector id must be an integer from 0 to ${MAX_ID}, not ${id}`);
    const values = this.checkVector(vector);
    if (!values.some((value) => value !== 0)) throw new RangeError("a zero vector has no direction to compare by cosine");
    this.live.add(id);
    this.change(() => this.addToGraph(id, values));
  }

  remove(id: number): void {
    if (!this.live.delete(id)) return;
    this.change(() => {
      this.hnsw.markDelete(id);
      this.graphLive.delete(id);
    });
  }

  /** Up to `k` nearest entries, most similar first. */
  search(vector: Float32Array, k: number): VectorMatch[] {
    const values = this.checkVector(vector);
    const wanted = Math.min(k, this.graphLive.size);
    if (wanted <= 0) return [];
    const ef = Math.max(HNSW_SETTINGS.efSearch, wanted);
    if (this.hnsw.getEf() !== ef) this.hnsw.setEf(ef);
    const { neighbors, distances } = this.hnsw.searchKnn(values, wanted);
    return neighbors
      .map((id, rank) => ({ id, similarity: Math.max(-1, Math.min(1, 1 - distances[rank]!)) }))
      .filter((match) => this.live.has(match.id)); // removed while a save deferred the graph change
  }

  /**
   * Writes the file if anything changed since the last save. With no save under way the write
   * starts at once and holds the entries as of this call; otherwise it queues behind it.
   */
  save(): Promise<void> {
    const run = this.saves === 0 ? this.writeIfChanged() : this.saving.catch(() => {}).then(() => this.writeIfChanged());
    this.saves++;
    this.saving = run.finally(() => this.saves--);
    return this.saving;
  }

  private async writeIfChanged(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const deletedIds = this.hnsw.getIdsList().filter((id) => !this.graphLive.has(id));
    this.writing = true;
    try {
      await writeHnswIndexFile(this.hnsw, this.path, { dimensions: this.dimensions, entries: this.graphLive.size, deletedIds });
    } catch (error) {
      this.dirty = true;
      throw error;
    } finally {
      this.writing = false;
      for (const apply of this.deferred.splice(0)) apply();
    }
  }

  /** hnswlib's writer reads the graph from another thread: changing (or resizing) it then is a data race. */
  private change(apply: () => void): void {
    this.dirty = true;
    if (this.writing) this.deferred.push(apply);
    else apply();
  }

  private addToGraph(id: number, values: number[]): void {
    if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) this.hnsw.resizeIndex(this.hnsw.getMaxElements() * 2);
    if (this.graphLive.has(id) || this.revive(id)) {
      this.hnsw.addPoint(values, id, false); // same label: hnswlib updates the vector in place
    } else {
      // A new label may take a deleted entry's slot. Never pass true for a label the graph
      // holds: hnswlib would then keep two entries under one label.
      this.hnsw.addPoint(values, id, true);
    }
    this.graphLive.add(id);
  }

  /** Unmarks a deleted entry of this label; false when the graph has no entry under it. */
  private revive(id: number): boolean {
    try {
      this.hnsw.unmarkDelete(id);
      return true;
    } catch (error) {
      if ((error as Error).message.includes("Label not found")) return false;
      throw error;
    }
  }

  private checkVector(vector: Float32Array): number[] {
    if (vector.length !== this.dimensions) throw new RangeError(`expected a ${this.dimensions}-dimensional vector, got ${vector.length}`);
    const values = Array.from(vector);
    if (!values.every(Number.isFinite)) throw new RangeError("vector holds a value that is not a finite number");
    return values;
  }
}
