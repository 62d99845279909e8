/**
 * The semantic cache's vector index (hnswlib-node, 384-d cosine, M=16, efConstruction=200, ef=64)
 * against its floor, a brute-force scan of one Float32Array (brute-force-vector-scan.ts), at the
 * same sizes with the same seeded vectors: insert time, k=1 and k=5 query time, the memory each
 * takes, HNSW's recall against the exact answer, and what a start costs (HNSW: open its saved
 * file, or rebuild from SQLite without one; the scan: read the vectors from SQLite).
 * Vectors are clustered like sentence embeddings (test/support/random-vectors.ts); uniform
 * noise is shown as the worst case it is. Each size and index is measured in a fresh process, so
 * that memory figures are the index's own. docs/decisions/0016 reads the figures.
 *
 * @example
 * bun bench/vector-index.ts                      # 1k, 10k, 50k, 100k: 15-20 minutes on a busy 2-core machine
 * bun bench/vector-index.ts --sizes 1000,10000 --queries 200 --seed 7
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { manifestPathOf } from "../src/cache/hnsw-index-file";
import { HNSW_SETTINGS, HnswVectorIndex } from "../src/cache/hnsw-vector-index";
import { loadHnswlibAddon } from "../src/cache/load-hnswlib-addon";
import { openVectorIndex, type VectorSourceRow } from "../src/cache/open-vector-index";
import type { VectorIndex, VectorMatch } from "../src/cache/vector-index";
import { encodeEmbeddingBlob } from "../src/store/embedding-blob";
import { openStore } from "../src/store/open-store";
import { SemanticEntriesRepository } from "../src/store/semantic-entries-repository";
import { createRandomVectors, findNearestByBruteForce, type RandomVectors } from "../test/support/random-vectors";
import { exitWithHelpIfAsked, readCount } from "./bench-args";
import { BruteForceVectorScan } from "./brute-force-vector-scan";
import { type Percentiles, summarizeLatencies } from "./latency-stats";

const HELP = `Usage: bun bench/vector-index.ts [--sizes 1000,10000,50000,100000] [--queries 300] [--seed N]

  --sizes     vectors in the index, one run per size
  --queries   timed queries per size, k and index kind
  --seed      the vectors' seed (default: random, printed)
`;

const DIMENSIONS = 384;
const RECALL_QUERIES = 200;
const EMBEDDER = "bench";
const PAGE = 500;

type Searchable = Pick<VectorIndex, "add" | "search">;

interface IndexFigures {
  insertMsEach: number;
  /** Resident memory the index added, after a full collection. */
  rssBytes: number;
  k1: Percentiles;
  k5: Percentiles;
}

type HnswFigures = IndexFigures & { fileBytes: number; openMs: number; rebuildMs: number; recall: Record<string, number> };
type ScanFigures = IndexFigures & { vectorBytes: number; readMs: number };

interface SizeReport {
  size: number;
  hnsw: HnswFigures;
  scan: ScanFigures;
}

type IndexKind = "hnsw" | "scan";

/** The same seeded vectors and timed queries in every process. */
function prepareVectors(size: number, queries: number, seed: number) {
  const random = createRandomVectors(seed, DIMENSIONS);
  const stored = Array.from({ length: size }, () => random.clustered());
  const paraphrase = () => random.near(stored[Math.floor(random.next() * size)]!, 0.5);
  return { random, stored, paraphrase, timed: Array.from({ length: queries }, paraphrase) };
}

async function measureScan(size: number, queries: number, seed: number, dir: string): Promise<ScanFigures> {
  const { stored, timed } = prepareVectors(size, queries, seed);
  const scan = new BruteForceVectorScan(DIMENSIONS);
  const figures = await buildAndTime(scan, stored, timed);
  // Without a file of its own, a scan starts by reading the store's rows.
  const repository = writeStore(join(dir, "store.db"), stored);
  const started = performance.now();
  const fromStore = new BruteForceVectorScan(DIMENSIONS);
  for await (const row of readStoredVectors(repository)) fromStore.add(row.id, row.vector);
  const readMs = performance.now() - started;
  if (fromStore.size !== size) throw new Error("the store did not give back every vector");
  return { ...figures, vectorBytes: scan.bytes, readMs };
}

async function measureHnsw(size: number, queries: number, seed: number, dir: string): Promise<HnswFigures> {
  const { random, stored, paraphrase, timed } = prepareVectors(size, queries, seed);
  const cacheDir = join(dir, "cache");
  const { addon } = await loadHnswlibAddon(cacheDir);
  const path = join(dir, "index.hnsw");
  const hnsw = HnswVectorIndex.create(addon, { path, dimensions: DIMENSIONS });
  const figures = await buildAndTime(hnsw, stored, timed);
  const exact = new BruteForceVectorScan(DIMENSIONS);
  for (const [id, vector] of stored.entries()) exact.add(id, vector);
  const recall = measureRecall(hnsw, exact, stored, random, paraphrase);

  await hnsw.save();
  const fileBytes = statSync(path).size + statSync(manifestPathOf(path)).size;
  let started = performance.now();
  const opened = await openVectorIndex({ path, dimensions: DIMENSIONS, cacheDir, countSource: () => size, rebuild: refuseRebuild });
  const openMs = performance.now() - started;
  if (opened.rebuilt || opened.index.size !== size)
    throw new Error(`the saved index did not reopen as saved: ${JSON.stringify(opened.rebuilt)}`);

  // Without its file (first start, damaged, or older than the store), HNSW rebuilds its graph from the store's rows.
  const repository = writeStore(join(dir, "store.db"), stored);
  started = performance.now();
  const rebuilt = await openVectorIndex({
    path: join(dir, "rebuilt.hnsw"),
    dimensions: DIMENSIONS,
    cacheDir,
    countSource: () => size,
    rebuild: () => readStoredVectors(repository),
    onProgress: () => undefined,
  });
  const rebuildMs = performance.now() - started;
  if (rebuilt.index.size !== size) throw new Error("the store did not give back every vector");
  return { ...figures, fileBytes, openMs, rebuildMs, recall };
}

/** Inserts every vector, then times k=1 and k=5 over the same queries. */
async function buildAndTime(index: Searchable, stored: Float32Array[], queries: Float32Array[]): Promise<IndexFigures> {
  const rssBefore = await settledRss();
  let started = performance.now();
  for (const [id, vector] of stored.entries()) index.add(id, vector);
  const insertMsEach = (performance.now() - started) / stored.length;
  const rssBytes = (await settledRss()) - rssBefore;
  const time = (k: number) =>
    queries.map((query) => {
      started = performance.now();
      index.search(query, k);
      return performance.now() - started;
    });
  time(1); // warm-up
  return { insertMsEach, rssBytes, k1: summarizeLatencies(time(1)), k5: summarizeLatencies(time(5)) };
}

/** Share of queries whose nearest vector HNSW found, against the scan, which is exact (checked here). */
function measureRecall(
  hnsw: Searchable,
  scan: BruteForceVectorScan,
  stored: Float32Array[],
  random: RandomVectors,
  paraphrase: () => Float32Array,
): Record<string, number> {
  const querySets: Record<string, () => Float32Array> = {
    "paraphrase (cos ~0.9)": paraphrase,
    "rewording (cos ~0.7)": () => random.near(stored[Math.floor(random.next() * stored.length)]!, 1),
    "new text, known topic": () => random.clustered(),
    "uniform noise (worst case)": () => random.uniform(),
  };
  for (let i = 0; i < 10; i++) checkExact(scan, stored, random.clustered());
  const recall: Record<string, number> = {};
  for (const [name, makeQuery] of Object.entries(querySets)) {
    let found = 0;
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const query = makeQuery();
      if (hnsw.search(query, 1)[0]?.id === scan.search(query, 1)[0]?.id) found++;
    }
    recall[name] = found / RECALL_QUERIES;
  }
  return recall;
}

function checkExact(scan: BruteForceVectorScan, stored: Float32Array[], query: Float32Array): void {
  const [found] = scan.search(query, 1) as [VectorMatch];
  const exact = findNearestByBruteForce(stored, query);
  if (Math.abs(found.similarity - exact.similarity) > 1e-5)
    throw new Error(`the scan found ${found.id}, the exact nearest is ${exact.index}`);
}

/** The rows as SQLite holds them, written by one prepared statement (the repository's insert builds its query each time). */
function writeStore(path: string, stored: Float32Array[]): SemanticEntriesRepository {
  const store = openStore({ path });
  const insert = store.sqlite.prepare(
    "INSERT INTO semantic_entries (context_hash, embedder_id, bytes, created_at, expires_at, last_used_at, embedding, request_text, message) VALUES ('bench', ?, 2, ?, ?, ?, ?, 'a question', '{}')",
  );
  const now = Date.now();
  store.sqlite.transaction(() => {
    for (const embedding of stored) insert.run(EMBEDDER, now, now + 3_600_000, now, encodeEmbeddingBlob(embedding));
  })();
  return new SemanticEntriesRepository(store.db);
}

async function* readStoredVectors(repository: SemanticEntriesRepository): AsyncIterable<VectorSourceRow> {
  for (let afterId = 0; ; ) {
    const page = repository.listEmbeddings(EMBEDDER, afterId, PAGE);
    for (const row of page) yield { id: row.id, vector: row.embedding };
    if (page.length < PAGE) return;
    afterId = page.at(-1)!.id;
  }
}

// biome-ignore lint/correctness/useYield: an index source that must never be read
async function* refuseRebuild(): AsyncIterable<never> {
  throw new Error("the benchmark's saved index should have loaded, not rebuilt");
}

/** RSS once a full collection ran and the allocators had a moment to hand freed pages back. */
async function settledRss(): Promise<number> {
  Bun.gc(true);
  await Bun.sleep(500);
  Bun.gc(true);
  return process.memoryUsage.rss();
}

function formatReport(reports: SizeReport[], queries: number, seed: number): string {
  const ms = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const latency = (p: Percentiles) => `${ms(p.p50)} / ${ms(p.p99)}`;
  const lines = [
    `hnswlib-node 3.0.0, ${DIMENSIONS}-d cosine, M=${HNSW_SETTINGS.m}, efConstruction=${HNSW_SETTINGS.efConstruction}, ef=${HNSW_SETTINGS.efSearch}; brute force: one Float32Array, dot products in TypeScript`,
    `seed ${seed}, ${queries} timed queries per k, ${RECALL_QUERIES} recall queries per kind; Bun ${Bun.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(" ")}`,
    "",
    "| vectors | index | insert µs each | k=1 ms p50 / p99 | k=5 ms p50 / p99 | RSS added MB | start: open file / from SQLite ms |",
    "|---------|-------|----------------|------------------|------------------|--------------|-----------------------------------|",
  ];
  for (const { size, hnsw, scan } of reports) {
    lines.push(
      `| ${size} | HNSW | ${(hnsw.insertMsEach * 1000).toFixed(0)} | ${latency(hnsw.k1)} | ${latency(hnsw.k5)} | ${mb(hnsw.rssBytes)} (file ${mb(hnsw.fileBytes)}) | ${ms(hnsw.openMs)} / ${ms(hnsw.rebuildMs)} (rebuild) |`,
      `| ${size} | scan | ${(scan.insertMsEach * 1000).toFixed(1)} | ${latency(scan.k1)} | ${latency(scan.k5)} | ${mb(scan.rssBytes)} (vectors ${mb(scan.vectorBytes)}) | none / ${ms(scan.readMs)} (read) |`,
    );
  }
  lines.push(
    "",
    `| HNSW recall@1 vs exact | ${reports.map((r) => `${r.size}`).join(" | ")} |`,
    `|---|${reports.map(() => "---").join("|")}|`,
  );
  for (const name of Object.keys(reports[0]!.hnsw.recall))
    lines.push(`| ${name} | ${reports.map((r) => r.hnsw.recall[name]!.toFixed(3)).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000,10000,50000,100000" },
      queries: { type: "string" },
      seed: { type: "string" },
      "one-size": { type: "string" },
      index: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  exitWithHelpIfAsked(values.help, HELP);
  const queries = readCount(values.queries, 300, "--queries");
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : readCount(values.seed, 0, "--seed");
  const oneSize = values["one-size"];
  if (oneSize !== undefined)
    return measureInThisProcess(readCount(oneSize, 0, "--one-size"), values.index === "hnsw" ? "hnsw" : "scan", queries, seed);
  const reports: SizeReport[] = [];
  for (const size of values.sizes.split(",").map((given) => readCount(given, 0, "--sizes"))) {
    process.stderr.write(`measuring ${size} vectors...\n`);
    const scan = (await measureInChildProcess(size, "scan", queries, seed)) as ScanFigures;
    const hnsw = (await measureInChildProcess(size, "hnsw", queries, seed)) as HnswFigures;
    reports.push({ size, scan, hnsw });
  }
  process.stdout.write(formatReport(reports, queries, seed));
}

/** Each size and index in a fresh process: what one leaves behind must not weigh on another's memory figures. */
async function measureInChildProcess(size: number, index: IndexKind, queries: number, seed: number): Promise<ScanFigures | HnswFigures> {
  const args = [import.meta.path, "--one-size", String(size), "--index", index, "--queries", String(queries), "--seed", String(seed)];
  const child = Bun.spawn([process.execPath, ...args], { stdout: "pipe", stderr: "inherit" });
  const output = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error(`measuring ${index} at ${size} vectors failed with exit code ${child.exitCode}`);
  return JSON.parse(output) as ScanFigures | HnswFigures;
}

async function measureInThisProcess(size: number, index: IndexKind, queries: number, seed: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-index-"));
  try {
    const figures = index === "hnsw" ? await measureHnsw(size, queries, seed, dir) : await measureScan(size, queries, seed, dir);
    process.stdout.write(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
