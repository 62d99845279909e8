/**
 * The Embedder on an inference server's own embedding endpoint: OpenAI-compatible
 * `POST /v1/embeddings` (llama-server with --embeddings, LM Studio, vLLM, Ollama) or Ollama's
 * `POST /api/embed`. Servers differ on whether they normalize, so vectors are L2-normalized here.
 * The dimension count is learned from the first answer.
 */

import { type Static, Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { EmbeddingApi } from "../config/config-choices";
import type { Embedder } from "./embedder";
import { normalizeL2 } from "./normalize-l2";

export interface BackendEmbedderOptions {
  /** The server's root URL, with or without /v1. */
  url: string;
  model: string;
  api: EmbeddingApi;
  /** Default 30 s: embedding a few hundred tokens takes milliseconds; longer means the server is stuck. */
  timeoutMs?: number;
}

export interface BackendEmbedderLoadReport {
  source: "backend";
  endpoint: string;
  dimensions: number;
  loadMs: number;
}

const Vector = t.Array(t.Number(), { minItems: 1 });
const OpenAIEmbeddingsResponse = t.Object({ data: t.Array(t.Object({ embedding: Vector, index: t.Integer({ minimum: 0 }) })) });
const OllamaEmbedResponse = t.Object({ embeddings: t.Array(Vector) });

export class BackendEmbedder implements Embedder {
  readonly id: string;
  readonly endpoint: string;
  private learnedDimensions: number | undefined;

  /**
   * @example
   * const embedder = new BackendEmbedder({ url: "http://127.0.0.1:11434", model: "nomic-embed-text", api: "ollama" });
   */
  constructor(private readonly options: BackendEmbedderOptions) {
    const root = options.url.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.endpoint = options.api === "ollama" ? `${root}/api/embed` : `${root}/v1/embeddings`;
    this.id = `${options.api}:${options.model}`;
  }

  /** Known after the first `embed` or `load`; reading it earlier is a programming error. */
  get dimensions(): number {
    if (this.learnedDimensions === undefined) throw new Error(`the dimensions of ${this.id} are known after the first embed or load()`);
    return this.learnedDimensions;
  }

  /**
   * Embeds one short text: proves the endpoint answers and learns the dimension count.
   *
   * @example
   * const { dimensions } = await embedder.load(); // 768 for nomic-embed-text
   */
  async load(): Promise<BackendEmbedderLoadReport> {
    const started = performance.now();
    await this.embed(["anyclaude embedding check"]);
    return { source: "backend", endpoint: this.endpoint, dimensions: this.dimensions, loadMs: performance.now() - started };
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const response = await fetch(this.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: this.options.model, input: texts }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.endpoint} answered ${response.status}: ${text.slice(0, 300)}`);
    const raw = readVectors(this.options.api, parseJson(text, this.endpoint), this.endpoint);
    if (raw.length !== texts.length) throw new Error(`${this.endpoint} returned ${raw.length} embeddings for ${texts.length} texts`);
    const dimensions = raw[0]!.length;
    if (
      raw.some((vector) => vector.length !== dimensions) ||
      (this.learnedDimensions !== undefined && dimensions !== this.learnedDimensions)
    ) {
      throw new Error(
        `${this.endpoint} returned vectors of differing lengths (${[...new Set(raw.map((vector) => vector.length))].join(", ")}; earlier ${this.learnedDimensions ?? "none"})`,
      );
    }
    this.learnedDimensions = dimensions;
    return raw.map((vector) => normalizeL2(Float32Array.from(vector)));
  }
}

function readVectors(api: EmbeddingApi, body: unknown, endpoint: string): number[][] {
  if (api === "ollama") {
    if (!Value.Check(OllamaEmbedResponse, body)) throw new Error(`${endpoint} did not answer {embeddings: [[...]]}`);
    return body.embeddings;
  }
  if (!Value.Check(OpenAIEmbeddingsResponse, body)) throw new Error(`${endpoint} did not answer {data: [{embedding, index}]}`);
  // The API does not promise `data` in input order; `index` says which input each belongs to.
  const ordered = [...(body as Static<typeof OpenAIEmbeddingsResponse>).data].sort((a, b) => a.index - b.index);
  if (ordered.some((item, position) => item.index !== position))
    throw new Error(`${endpoint} returned embeddings with missing or repeated indexes`);
  return ordered.map((item) => item.embedding);
}

function parseJson(text: string, endpoint: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${endpoint} answered with something other than JSON: ${text.slice(0, 200)}`);
  }
}
