/** Scales a vector to length 1, so a dot product of two of them is their cosine similarity. */

/**
 * In place, and returns the same array. An all-zero vector stays zero: it has no direction, and
 * dividing would fill it with NaN, which would poison every similarity computed from it.
 *
 * @example
 * normalizeL2(Float32Array.of(3, 4)); // Float32Array [0.6, 0.8]
 */
export function normalizeL2(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < vector.length; index++) vector[index]! *= scale;
  return vector;
}
