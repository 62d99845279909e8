/**
 * Sentence vectors from a BERT model's per-token output, as sentence-transformers builds them
 * for all-MiniLM-L6-v2: the mean of the token vectors the attention mask keeps (padding left
 * out), then L2-normalized.
 */
import { normalizeL2 } from "./normalize-l2";

export interface TokenEmbeddings {
  /** `last_hidden_state`, row-major [batchSize, sequenceLength, dimensions]. */
  data: Float32Array;
  batchSize: number;
  sequenceLength: number;
  dimensions: number;
}

/**
 * @example
 * const vectors = poolMeanEmbeddings({ data, batchSize: 2, sequenceLength: 11, dimensions: 384 }, batch.attentionMask);
 */
export function poolMeanEmbeddings(tokens: TokenEmbeddings, attentionMask: BigInt64Array): Float32Array[] {
  const { data, batchSize, sequenceLength, dimensions } = tokens;
  if (data.length !== batchSize * sequenceLength * dimensions) {
    throw new Error(`token embeddings hold ${data.length} values, not ${batchSize}×${sequenceLength}×${dimensions}`);
  }
  const vectors: Float32Array[] = [];
  for (let row = 0; row < batchSize; row++) {
    const sum = new Float32Array(dimensions);
    let kept = 0;
    for (let position = 0; position < sequenceLength; position++) {
      if (attentionMask[row * sequenceLength + position] === 0n) continue;
      kept++;
      const offset = (row * sequenceLength + position) * dimensions;
      for (let dimension = 0; dimension < dimensions; dimension++) sum[dimension]! += data[offset + dimension]!;
    }
    // sentence-transformers clamps the divisor to 1e-9; a row always keeps [CLS] and [SEP], so this only guards.
    const divisor = Math.max(kept, 1e-9);
    for (let dimension = 0; dimension < dimensions; dimension++) sum[dimension]! /= divisor;
    vectors.push(normalizeL2(sum));
  }
  return vectors;
}
