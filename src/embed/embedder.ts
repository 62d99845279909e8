/**
 * Turns texts into unit-length vectors for the semantic cache. Implementations: MiniLM run with
 * ONNX Runtime in-process, or a backend's own embedding endpoint. Loading is lazy: constructing
 * an Embedder is free; the first `embed` pays for the model.
 */

export interface Embedder {
  /** Stable identity of the model (e.g. "minilm-l6-v2:<sha256 prefix>"), stored with vectors so a model change invalidates them. */
  readonly id: string;
  readonly dimensions: number;
  /** One L2-normalized vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
