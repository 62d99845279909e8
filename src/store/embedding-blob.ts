/**
 * How a vector is kept in SQLite: Float32 little-endian, 4 bytes per dimension, whatever the
 * host's byte order, so a database copied between machines still rebuilds the same index.
 */

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * @example
 * encodeEmbeddingBlob(new Float32Array([1, 0.5])); // Uint8Array [0, 0, 128, 63, 0, 0, 0, 63]
 */
export function encodeEmbeddingBlob(vector: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
  const blob = new Uint8Array(vector.length * 4);
  const view = new DataView(blob.buffer);
  for (const [index, value] of vector.entries()) view.setFloat32(index * 4, value, true);
  return blob;
}

/**
 * Copies: SQLite's buffer may sit at an offset a Float32Array cannot start at.
 *
 * @example
 * decodeEmbeddingBlob(new Uint8Array([0, 0, 128, 63, 0, 0, 0, 63])); // Float32Array [1, 0.5]
 */
export function decodeEmbeddingBlob(blob: Uint8Array): Float32Array {
  if (blob.length % 4 !== 0) throw new Error(`an embedding blob of ${blob.length} bytes is not a whole number of Float32 values`);
  if (HOST_IS_LITTLE_ENDIAN) return new Float32Array(blob.slice().buffer);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return Float32Array.from({ length: blob.length / 4 }, (_, index) => view.getFloat32(index * 4, true));
}
