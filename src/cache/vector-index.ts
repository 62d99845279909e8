/** Nearest-neighbour search over embeddings (cosine), persisted beside the database. */

export interface VectorMatch {
  id: number;
  /** Cosine similarity in [-1, 1]; 1 is identical. */
  similarity: number;
}

export interface VectorIndex {
  readonly size: number;
  add(id: number, vector: Float32Array): void;
  remove(id: number): void;
  search(vector: Float32Array, k: number): VectorMatch[];
  /** Writes the index file atomically (temp file + rename). */
  save(): Promise<void>;
}
