/**
 * The semantic half of bench/cache.ts, in-process: loading the model, inserting into the HNSW
 * index, a lookup as the request path makes it (embed the last user turn, up to 256 tokens, then
 * HNSW k=1), and the same through SemanticCache (index over-fetch + SQLite check of the context).
 */
import { join } from "node:path";
import { HnswVectorIndex } from "../src/cache/hnsw-vector-index";
import { loadHnswlibAddon } from "../src/cache/load-hnswlib-addon";
import { SemanticCache } from "../src/cache/semantic-cache";
import { loadBertUncasedTokenizer } from "../src/embed/bert-uncased-tokenizer";
import { MiniLMEmbedder } from "../src/embed/minilm-embedder";
import { openStore, STORE_FILE_NAME } from "../src/store/open-store";
import { SemanticEntriesRepository } from "../src/store/semantic-entries-repository";
import { createRandomVectors } from "../test/support/random-vectors";
import { type Percentiles, summarizeLatencies } from "./latency-stats";

export interface SemanticLookupBenchOptions {
  modelPath: string;
  /** A real all-MiniLM-L6-v2 file rather than the generated stand-in. */
  realModel: boolean;
  dir: string;
  runs: number;
  /** Vectors in the index the raw lookup searches. */
  entries: number;
}

const VOCABULARY = [
  "sort",
  "list",
  "python",
  "function",
  "return",
  "value",
  "error",
  "file",
  "test",
  "the",
  "a",
  "in",
  "how",
  "do",
  "i",
  "why",
  "does",
  "this",
  "code",
  "fail",
  "when",
  "array",
  "index",
  "type",
  "string",
  "parse",
  "json",
  "request",
  "server",
  "cache",
];

/** Deterministic English-like text, different for every seed. */
function makeText(seed: number, words: number): string {
  return Array.from(
    { length: words },
    (_, index) => VOCABULARY[(seed * 7919 + index * 104_729 + Math.floor(index / 3)) % VOCABULARY.length],
  ).join(" ");
}

async function time<T>(run: () => Promise<T> | T): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function sample(runs: number, run: (index: number) => Promise<unknown>): Promise<Percentiles> {
  for (let index = 0; index < 20; index++) await run(-1 - index);
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) samples.push(await time(() => run(index)));
  return summarizeLatencies(samples);
}

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const line = (label: string, p: Percentiles, note = "") =>
  console.log(`  ${label.padEnd(54)} p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)} ms${note}`);

/**
 * @example
 * await measureSemanticLookup({ modelPath, realModel: false, dir, runs: 500, entries: 10_000 });
 */
export async function measureSemanticLookup(options: SemanticLookupBenchOptions): Promise<void> {
  const cacheDir = join(options.dir, "cache");
  const embedder = new MiniLMEmbedder({ modelPath: options.modelPath, cacheDir });
  const coldMs = await time(() => embedder.load());
  const report = await embedder.load();
  const warm = new MiniLMEmbedder({ modelPath: options.modelPath, cacheDir });
  const warmMs = await time(() => warm.load());
  await warm.close();
  console.log(
    `\nsemantic cache, in-process; model: ${options.realModel ? report.path : "generated stand-in (MiniLM's signature, not its weights or speed)"}, ${(report.bytes / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `  model load: ${ms(coldMs)} ms the first time (ONNX Runtime + session), ${ms(warmMs)} ms for another session; happens on the first side call, off the request path`,
  );

  const { addon } = await loadHnswlibAddon(cacheDir);
  const index = HnswVectorIndex.create(addon, { path: join(options.dir, "bench.hnsw"), dimensions: 384 });
  const random = createRandomVectors(11, 384);
  const vectors = Array.from({ length: options.entries }, () => random.clustered());
  const insertMs = await time(() => {
    for (const [id, vector] of vectors.entries()) index.add(id, vector);
  });
  console.log(
    `  index insert: ${Math.round(options.entries / (insertMs / 1000))} vectors/s (${options.entries} 384-d vectors, M=16, efConstruction=200)`,
  );

  const tokenizer = loadBertUncasedTokenizer();
  const long = (seed: number) => makeText(seed, 400);
  console.log(`  (a long text is cut to ${tokenizer.encode(long(1)).ids.length} tokens)`);
  line(
    "embed 16 tokens + HNSW k=1",
    await sample(options.runs, async (run) => index.search((await embedder.embed([makeText(run + 5000, 14)]))[0]!, 1)),
  );
  line(
    "embed 256 tokens + HNSW k=1",
    await sample(options.runs, async (run) => index.search((await embedder.embed([long(run + 9000)]))[0]!, 1)),
    "   (target p50 ≤ 10 ms)",
  );

  const store = openStore({ path: join(options.dir, STORE_FILE_NAME) });
  const semantic = new SemanticCache({
    repository: new SemanticEntriesRepository(store.db),
    createEmbedder: () => embedder,
    indexPath: join(options.dir, "semantic.hnsw"),
    cacheDir,
    threshold: 0.95,
    ttlMs: 3_600_000,
    maxEntries: 100_000,
    onProgress: () => {},
  });
  const stored = 500;
  const now = Date.now();
  const storeMs = await time(async () => {
    for (let seed = 0; seed < stored; seed++)
      await semantic.store({ contextHash: "bench", text: makeText(seed, 60) }, BENCH_MESSAGE, 200, now);
  });
  console.log(`  SemanticCache.store (embed 60 words, SQLite insert, index add): ${ms(storeMs / stored)} ms each, ${stored} entries`);
  let hits = 0;
  const lookupStored = async (run: number) => {
    if ((await semantic.lookup({ contextHash: "bench", text: `${makeText(Math.abs(run) % stored, 60)}.` }, now)) !== undefined && run >= 0)
      hits++;
  };
  line(
    "SemanticCache.lookup, stored text + '.' (same context)",
    await sample(options.runs, lookupStored),
    `   (${hits}/${options.runs} hits at 0.95)`,
  );
  line(
    "SemanticCache.lookup, miss (other context)",
    await sample(options.runs, (run) => semantic.lookup({ contextHash: "other", text: makeText(Math.abs(run) % stored, 60) }, now)),
  );
  await semantic.close();
  store.close();
  await embedder.close();
}

const BENCH_MESSAGE = {
  id: "msg_bench",
  type: "message" as const,
  role: "assistant" as const,
  model: "bench",
  content: [{ type: "text" as const, text: '{"title":"Bench"}' }],
  stop_reason: "end_turn" as const,
  stop_sequence: null,
  usage: { input_tokens: 100, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};
