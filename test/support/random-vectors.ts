/**
 * Seeded random vectors for the vector index's tests and benchmark, shaped like sentence
 * embeddings rather than uniform noise: texts cluster by topic, and a paraphrase lands near the
 * text it rephrases. Also the brute-force nearest neighbour to check the index against.
 */
import { seededRandom } from "./seeded-random";

export interface RandomVectors {
  /** Uniform in [0, 1), from the seed. */
  next(): number;
  /** A unit vector in a uniformly random direction. */
  uniform(): Float32Array;
  /** A unit vector near one of the topic centres (cosine to it about 0.7). */
  clustered(): Float32Array;
  /** A unit vector near `of`; noise 0.5 gives cosine about 0.9 to it, 1.0 about 0.7. */
  near(of: Float32Array, noise: number): Float32Array;
}

/**
 * @example
 * const random = createRandomVectors(42, 384);
 * const stored = Array.from({ length: 1000 }, () => random.clustered());
 * const query = random.near(stored[7]!, 0.5);
 */
export function createRandomVectors(seed: number, dimensions: number, topics = 200): RandomVectors {
  const next = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const uniform = () => normalize(Float32Array.from({ length: dimensions }, gaussian));
  const near = (of: Float32Array, noise: number) => {
    const direction = uniform();
    return normalize(of.map((value, i) => value + noise * direction[i]!));
  };
  const centres = Array.from({ length: topics }, uniform);
  return { next, uniform, near, clustered: () => near(centres[Math.floor(next() * topics)]!, 1) };
}

/**
 * @example
 * cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(1, 1)); // 0.7071...
 */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(aa * bb);
}

/**
 * The index in `stored` most similar to `query`, by exhaustive comparison, and its similarity.
 *
 * @example
 * findNearestByBruteForce([Float32Array.of(0, 1), Float32Array.of(1, 0)], Float32Array.of(2, 0.1)); // { index: 1, similarity: 0.998... }
 */
export function findNearestByBruteForce(stored: readonly Float32Array[], query: Float32Array): { index: number; similarity: number } {
  let best = { index: -1, similarity: -Infinity };
  stored.forEach((vector, index) => {
    const similarity = cosineSimilarity(vector, query);
    if (similarity > best.similarity) best = { index, similarity };
  });
  return best;
}

function normalize(vector: Float32Array): Float32Array {
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}
