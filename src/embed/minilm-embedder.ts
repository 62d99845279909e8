/**
 * The Embedder on all-MiniLM-L6-v2 run in-process by ONNX Runtime: WordPiece tokens in,
 * `last_hidden_state` out, mean-pooled over the attention mask and L2-normalized, as
 * sentence-transformers computes it. Nothing is loaded until the first `embed` (or an explicit
 * `load`, for doctor and the benchmark), so start-up stays fast when the cache is never asked.
 */
import { readFileSync } from "node:fs";
import type { InferenceSession } from "onnxruntime-node";
import { loadBertUncasedTokenizer } from "./bert-uncased-tokenizer";
import { buildBertBatch } from "./build-bert-batch";
import type { Embedder } from "./embedder";
import { loadOnnxRuntime, type OnnxRuntime } from "./load-onnxruntime";
import { describeMissingMiniLM, locateMiniLMModel, type MiniLMModelOrigin, type MiniLMModelSearch } from "./locate-minilm-model";
import { poolMeanEmbeddings } from "./pool-mean-embeddings";
import type { WordPieceTokenizer } from "./wordpiece-tokenizer";

const MINILM_DIMENSIONS = 384;
const OUTPUT_NAME = "last_hidden_state";

export interface MiniLMEmbedderOptions extends MiniLMModelSearch {
  /** ONNX Runtime intra-op threads; 1 by default: the machine's cores serve requests too. */
  threads?: number;
  /** Larger calls run as several batches of at most this many texts. Default 32. */
  maxBatchSize?: number;
  tokenizer?: WordPieceTokenizer;
}

export interface MiniLMLoadReport {
  source: "minilm";
  path: string;
  origin: MiniLMModelOrigin;
  bytes: number;
  sha256: string;
  /** Reading the file, loading ONNX Runtime when this was its first use, and creating the session. */
  loadMs: number;
}

interface LoadedModel {
  ort: OnnxRuntime;
  session: InferenceSession;
  inputNames: ReadonlySet<string>;
  report: MiniLMLoadReport;
}

export class MiniLMEmbedder implements Embedder {
  readonly dimensions = MINILM_DIMENSIONS;
  private loading: Promise<LoadedModel> | undefined;
  private digest: string | undefined;
  private readonly tokenizer: WordPieceTokenizer;

  /**
   * @example
   * const embedder = new MiniLMEmbedder({ modelPath: config.embedding.modelPath, cacheDir: paths.cacheDir });
   * const [vector] = await embedder.embed(["how do i sort a list in python?"]);
   */
  constructor(private readonly options: MiniLMEmbedderOptions) {
    this.tokenizer = options.tokenizer ?? loadBertUncasedTokenizer();
  }

  /**
   * `minilm-l6-v2:` and the model file's SHA-256 prefix. Known once loaded; read before, it
   * hashes the file (and throws, as `embed` would, when there is none).
   */
  get id(): string {
    this.digest ??= hashFile(this.locate().path);
    return `minilm-l6-v2:${this.digest.slice(0, 16)}`;
  }

  /**
   * Loads once; concurrent callers share the work. A failure is not kept: after
   * `anyclaude models pull` the next call finds the file.
   *
   * @example
   * const { loadMs, origin } = await embedder.load();
   */
  async load(): Promise<MiniLMLoadReport> {
    return (await this.loadModel()).report;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await this.loadModel();
    const encoded = texts.map((text, index) => ({ index, ids: this.tokenizer.encode(text).ids }));
    // Similar lengths share a batch, so little of it is padding.
    encoded.sort((a, b) => a.ids.length - b.ids.length);
    const vectors: Float32Array[] = new Array(texts.length);
    const batchSize = this.options.maxBatchSize ?? 32;
    for (let start = 0; start < encoded.length; start += batchSize) {
      const group = encoded.slice(start, start + batchSize);
      const pooled = await this.runBatch(
        model,
        group.map((item) => item.ids),
      );
      for (const [row, item] of group.entries()) vectors[item.index] = pooled[row]!;
    }
    return vectors;
  }

  /** Frees the session; a later `embed` loads again. */
  async close(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    // A load that failed has no session to free; its error already went to whoever awaited it.
    const model = await loading?.catch(() => undefined);
    await model?.session.release();
  }

  private loadModel(): Promise<LoadedModel> {
    this.loading ??= this.createSession().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private locate() {
    const location = locateMiniLMModel(this.options);
    if (!location.found) throw new Error(describeMissingMiniLM(location.searched));
    return location;
  }

  private async createSession(): Promise<LoadedModel> {
    const started = performance.now();
    const { path, origin } = this.locate();
    // Read here rather than handing ONNX Runtime the path: inside the binary an embedded model
    // lives in Bun's virtual file system, which native code cannot open.
    const bytes = readFileSync(path);
    this.digest = new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
    const ort = await loadOnnxRuntime(this.options.cacheDir);
    const threads = this.options.threads ?? 1;
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
    }).catch((error: unknown) => {
      throw new Error(`${path}: ONNX Runtime cannot load it: ${(error as Error).message}`, { cause: error });
    });
    checkMiniLMSignature(session, path);
    const report: MiniLMLoadReport = {
      source: "minilm",
      path,
      origin,
      bytes: bytes.length,
      sha256: this.digest,
      loadMs: performance.now() - started,
    };
    return { ort, session, inputNames: new Set(session.inputNames), report };
  }

  private async runBatch(model: LoadedModel, idLists: number[][]): Promise<Float32Array[]> {
    const batch = buildBertBatch(idLists, this.tokenizer.padId);
    const shape = [batch.batchSize, batch.sequenceLength];
    const feeds: Record<string, InstanceType<OnnxRuntime["Tensor"]>> = {
      input_ids: new model.ort.Tensor("int64", batch.inputIds, shape),
      attention_mask: new model.ort.Tensor("int64", batch.attentionMask, shape),
    };
    // Some exports of the model drop this input; feed it only when the graph declares it.
    if (model.inputNames.has("token_type_ids")) feeds.token_type_ids = new model.ort.Tensor("int64", batch.tokenTypeIds, shape);
    const outputs = await model.session.run(feeds, [OUTPUT_NAME]);
    const hidden = outputs[OUTPUT_NAME]!;
    try {
      const data = hidden.data as Float32Array;
      return poolMeanEmbeddings(
        { data, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength, dimensions: this.dimensions },
        batch.attentionMask,
      );
    } finally {
      hidden.dispose();
    }
  }
}

/** A wrong file (another model, a truncated download) fails at load with what was expected. */
function checkMiniLMSignature(session: InferenceSession, path: string): void {
  const missingInputs = ["input_ids", "attention_mask"].filter((name) => !session.inputNames.includes(name));
  const problems: string[] = [];
  if (missingInputs.length > 0) problems.push(`no input ${missingInputs.join(", ")} (it has ${session.inputNames.join(", ")})`);
  const output = session.outputMetadata.find((metadata) => metadata.name === OUTPUT_NAME);
  if (!output) problems.push(`no output ${OUTPUT_NAME} (it has ${session.outputNames.join(", ")})`);
  else if (output.isTensor && typeof output.shape.at(-1) === "number" && output.shape.at(-1) !== MINILM_DIMENSIONS) {
    problems.push(`${OUTPUT_NAME} has ${output.shape.at(-1)} dimensions, not ${MINILM_DIMENSIONS}`);
  }
  if (problems.length > 0) throw new Error(`${path} is not an all-MiniLM-L6-v2 model: ${problems.join("; ")}`);
}

function hashFile(path: string): string {
  return new Bun.CryptoHasher("sha256").update(readFileSync(path)).digest("hex");
}
