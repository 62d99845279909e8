/** Vectors as SQLite blobs: little-endian Float32, exact round trip, offsets and bad lengths. */
import { describe, expect, test } from "bun:test";
import { decodeEmbeddingBlob, encodeEmbeddingBlob } from "../../../src/store/embedding-blob";

describe("embedding blobs", () => {
  test("Float32 little-endian, 4 bytes per dimension", () => {
    expect([...encodeEmbeddingBlob(new Float32Array([1, 0.5, -2]))]).toEqual([0, 0, 128, 63, 0, 0, 0, 63, 0, 0, 0, 192]);
  });

  test("round trip is exact, from a view into a larger buffer and back from an unaligned one", () => {
    const backing = new Float32Array([9, 0.1, -0.333, 1e-30, 3e38, 9]);
    const vector = backing.subarray(1, 5);
    const blob = encodeEmbeddingBlob(vector);
    expect(blob.length).toBe(16);
    const unaligned = new Uint8Array(blob.length + 1).fill(7);
    unaligned.set(blob, 1);
    expect(decodeEmbeddingBlob(unaligned.subarray(1))).toEqual(vector);
  });

  test("a blob that is not whole Float32 values is refused", () => {
    expect(() => decodeEmbeddingBlob(new Uint8Array(7))).toThrow("7 bytes");
  });
});
