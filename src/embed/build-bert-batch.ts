/**
 * Turns token id lists into the three int64 [batch, sequence] tensors a BERT model reads:
 * ids padded to the longest list in the batch, an attention mask that is 1 on real tokens and
 * 0 on padding, and token type ids, all 0 for a single-segment text.
 */

export interface BertBatch {
  batchSize: number;
  sequenceLength: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

/**
 * @example
 * buildBertBatch([[101, 7592, 102], [101, 102]], 0);
 * // { batchSize: 2, sequenceLength: 3, inputIds: [101, 7592, 102, 101, 102, 0], attentionMask: [1, 1, 1, 1, 1, 0], tokenTypeIds: [0, 0, 0, 0, 0, 0] }
 */
export function buildBertBatch(idLists: readonly (readonly number[])[], padId: number): BertBatch {
  const batchSize = idLists.length;
  const sequenceLength = Math.max(0, ...idLists.map((ids) => ids.length));
  const inputIds = new BigInt64Array(batchSize * sequenceLength).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batchSize * sequenceLength);
  idLists.forEach((ids, row) => {
    const offset = row * sequenceLength;
    ids.forEach((id, column) => {
      inputIds[offset + column] = BigInt(id);
      attentionMask[offset + column] = 1n;
    });
  });
  return { batchSize, sequenceLength, inputIds, attentionMask, tokenTypeIds: new BigInt64Array(batchSize * sequenceLength) };
}
