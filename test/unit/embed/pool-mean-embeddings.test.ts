/**
 * The arithmetic between tokenizer and vector: padding a batch, averaging token vectors over
 * the attention mask, normalizing to unit length; small hand-checked numbers.
 */
import { describe, expect, test } from "bun:test";
import { buildBertBatch } from "../../../src/embed/build-bert-batch";
import { normalizeL2 } from "../../../src/embed/normalize-l2";
import { poolMeanEmbeddings } from "../../../src/embed/pool-mean-embeddings";

describe("buildBertBatch", () => {
  test("pads to the longest list; mask 1 on tokens, 0 on padding; token types all 0", () => {
    const batch = buildBertBatch(
      [
        [101, 7592, 102],
        [101, 102],
      ],
      0,
    );
    expect(batch.batchSize).toBe(2);
    expect(batch.sequenceLength).toBe(3);
    expect(Array.from(batch.inputIds)).toEqual([101n, 7592n, 102n, 101n, 102n, 0n]);
    expect(Array.from(batch.attentionMask)).toEqual([1n, 1n, 1n, 1n, 1n, 0n]);
    expect(Array.from(batch.tokenTypeIds)).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
  });

  test("the pad id is the vocabulary's", () => {
    expect(Array.from(buildBertBatch([[1], [1, 2]], 7).inputIds)).toEqual([1n, 7n, 1n, 2n]);
  });
});

describe("poolMeanEmbeddings", () => {
  test("averages only the tokens the mask keeps, then normalizes", () => {
    // Row 0: tokens (1,0) and (3,4) averaged = (2,2) → (0.7071, 0.7071). Row 1: (0,5) kept, (100,100) is padding.
    const data = Float32Array.of(1, 0, 3, 4, 0, 5, 100, 100);
    const [first, second] = poolMeanEmbeddings({ data, batchSize: 2, sequenceLength: 2, dimensions: 2 }, BigInt64Array.of(1n, 1n, 1n, 0n));
    expect(first![0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(first![1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(Array.from(second!)).toEqual([0, 1]);
  });

  test("a size that does not match the shape is refused", () => {
    expect(() =>
      poolMeanEmbeddings({ data: new Float32Array(5), batchSize: 1, sequenceLength: 2, dimensions: 2 }, BigInt64Array.of(1n, 1n)),
    ).toThrow("token embeddings hold 5 values, not 1×2×2");
  });
});

describe("normalizeL2", () => {
  test("unit length, direction kept", () => {
    expect(Array.from(normalizeL2(Float32Array.of(3, 4)))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  test("a zero vector stays zero rather than turning into NaN", () => {
    expect(Array.from(normalizeL2(new Float32Array(3)))).toEqual([0, 0, 0]);
  });
});
