/**
 * The floor the HNSW index is weighed against (docs/decisions/0016): every vector in one
 * Float32Array, a query scored against each by a dot product (the vectors are unit length, so
 * it is their cosine), the k best kept. Exact by construction; no addon, no file of its own.
 */
import type { VectorMatch } from "../src/cache/vector-index";

/**
 * @example
 * const scan = new BruteForceVectorScan(384);
 * scan.add(42, embedding);
 * scan.search(query, 1); // [{ id: 42, similarity: 0.97 }]
 */
export class BruteForceVectorScan {
  private data: Float32Array;
  private readonly ids: number[] = [];

  constructor(
    readonly dimensions: number,
    capacity = 1024,
  ) {
    if (dimensions % 4 !== 0) throw new RangeError(`the scan sums four values at a time: ${dimensions} dimensions is not a multiple of 4`);
    this.data = new Float32Array(capacity * dimensions);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Bytes the vectors' buffer takes, room to grow included. */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** Appends a vector; the buffer doubles when full. */
  add(id: number, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new RangeError(`expected a ${this.dimensions}-dimensional vector, got ${vector.length}`);
    const row = this.ids.length;
    if ((row + 1) * this.dimensions > this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data.set(vector, row * this.dimensions);
    this.ids.push(id);
  }

  /** The `k` most similar, most similar first. */
  search(query: Float32Array, k: number): VectorMatch[] {
    if (query.length !== this.dimensions) throw new RangeError(`expected a ${this.dimensions}-dimensional vector, got ${query.length}`);
    const best: VectorMatch[] = [];
    if (k < 1) return best;
    for (let row = 0; row < this.ids.length; row++) {
      const dot = dotProduct(this.data, row * this.dimensions, query);
      if (best.length === k) {
        if (dot <= best[k - 1]!.similarity) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < dot) at--;
      best.splice(at, 0, { id: this.ids[row]!, similarity: dot });
    }
    return best;
  }
}

/**
 * Four running sums instead of one: each addition no longer waits for the one before, which
 * made the scan 2-4 times faster in JavaScriptCore. The length is a multiple of 4 (checked).
 */
function dotProduct(data: Float32Array, base: number, query: Float32Array): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < query.length; i += 4) {
    a += data[base + i]! * query[i]!;
    b += data[base + i + 1]! * query[i + 1]!;
    c += data[base + i + 2]! * query[i + 2]!;
    d += data[base + i + 3]! * query[i + 3]!;
  }
  return a + b + c + d;
}
