/**
 * The semantic cache's vector index (hnswlib-node, 384-d cosine, M=16, efConstruction=200,
 * ef=64): insert rate, k=1 and k=5 query latency, recall against brute force, file size and the
 * time to open a saved file (checksum + load), at 1,000 and 10,000 vectors. Vectors are seeded,
 * clustered like sentence embeddings (test/support/random-vectors.ts); uniform noise is shown
 * as the worst case it is.
 *
 * @example
 * bun bench/vector-index.ts                      # about a minute on a busy 2-core machine
 * bun bench/vector-index.ts --sizes 1000,50000 --queries 1000 --seed 7
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { manifestPathOf } from "../src/cache/hnsw-index-file";
import { HNSW_SETTINGS, HnswVectorIndex } from "../src/cache/hnsw-vector-index";
import { loadHnswlibAddon } from "../src/cache/load-hnswlib-addon";
import { openVectorIndex } from "../src/cache/open-vector-index";
import { createRandomVectors, findNearestByBruteForce, type RandomVectors } from "../test/support/random-vectors";
import { summarizeLatencies } from "./latency-stats";

const DIMENSIONS = 384;
const RECALL_QUERIES = 200;

interface SizeReport {
  size: number;
  insertMsEach: number;
  k1: ReturnType<typeof summarizeLatencies>;
  k5: ReturnType<typeof summarizeLatencies>;
  recall: Record<string, number>;
  saveMs: number;
  fileBytes: number;
  openMs: number;
}

async function measureSize(size: number, queries: number, seed: number, dir: string): Promise<SizeReport> {
  const random = createRandomVectors(seed, DIMENSIONS);
  const stored = Array.from({ length: size }, () => random.clustered());
  const { addon } = await loadHnswlibAddon(join(dir, "cache"));
  const path = join(dir, `index-${size}.hnsw`);
  const index = HnswVectorIndex.create(addon, { path, dimensions: DIMENSIONS });

  let started = performance.now();
  for (const [id, vector] of stored.entries()) index.add(id, vector);
  const insertMsEach = (performance.now() - started) / size;

  const paraphrase = () => random.near(stored[Math.floor(random.next() * size)]!, 0.5);
  const timeSearch = (k: number) =>
    Array.from({ length: queries }, paraphrase).map((query) => {
      const begun = performance.now();
      index.search(query, k);
      return performance.now() - begun;
    });
  timeSearch(1); // warm-up
  const k1 = summarizeLatencies(timeSearch(1));
  const k5 = summarizeLatencies(timeSearch(5));

  const querySets: Record<string, (r: RandomVectors) => Float32Array> = {
    "paraphrase (cos ~0.9)": () => paraphrase(),
    "rewording (cos ~0.7)": (r) => r.near(stored[Math.floor(r.next() * size)]!, 1),
    "new text, known topic": (r) => r.clustered(),
    "uniform noise (worst case)": (r) => r.uniform(),
  };
  const recall: Record<string, number> = {};
  for (const [name, makeQuery] of Object.entries(querySets)) {
    let found = 0;
    for (let i = 0; i < RECALL_QUERIES; i++) {
      const query = makeQuery(random);
      if (index.search(query, 1)[0]?.id === findNearestByBruteForce(stored, query).index) found++;
    }
    recall[name] = found / RECALL_QUERIES;
  }

  started = performance.now();
  await index.save();
  const saveMs = performance.now() - started;
  const fileBytes = statSync(path).size + statSync(manifestPathOf(path)).size;
  started = performance.now();
  const opened = await openVectorIndex({
    path,
    dimensions: DIMENSIONS,
    cacheDir: join(dir, "cache"),
    countSource: () => size,
    rebuild: refuseRebuild,
  });
  const openMs = performance.now() - started;
  if (opened.rebuilt || opened.index.size !== size)
    throw new Error(`the saved index did not reopen as saved: ${JSON.stringify(opened.rebuilt)}`);
  return { size, insertMsEach, k1, k5, recall, saveMs, fileBytes, openMs };
}

// biome-ignore lint/correctness/useYield: an index source that must never be read
async function* refuseRebuild(): AsyncIterable<never> {
  throw new Error("the benchmark's saved index should have loaded, not rebuilt");
}

function formatReport(reports: SizeReport[], queries: number, seed: number): string {
  const ms = (value: number) => value.toFixed(3);
  const lines = [
    `hnswlib-node 3.0.0, ${DIMENSIONS}-d cosine, M=${HNSW_SETTINGS.m}, efConstruction=${HNSW_SETTINGS.efConstruction}, ef=${HNSW_SETTINGS.efSearch}; seed ${seed}, ${queries} timed queries, ${RECALL_QUERIES} recall queries per kind`,
    `Bun ${Bun.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(" ")}`,
    "",
    "| vectors | insert ms each (per s) | k=1 ms p50 / p99 | k=5 ms p50 / p99 | save ms | file MB | open ms (checksum + load) |",
    "|---------|------------------------|------------------|------------------|---------|---------|---------------------------|",
  ];
  for (const r of reports) {
    lines.push(
      `| ${r.size} | ${ms(r.insertMsEach)} (${Math.round(1000 / r.insertMsEach)}) | ${ms(r.k1.p50)} / ${ms(r.k1.p99)} | ${ms(r.k5.p50)} / ${ms(r.k5.p99)} | ${r.saveMs.toFixed(0)} | ${(r.fileBytes / 1e6).toFixed(1)} | ${r.openMs.toFixed(0)} |`,
    );
  }
  lines.push(
    "",
    `| recall@1 vs brute force | ${reports.map((r) => `${r.size} vectors`).join(" | ")} |`,
    `|---|${reports.map(() => "---").join("|")}|`,
  );
  for (const name of Object.keys(reports[0]!.recall))
    lines.push(`| ${name} | ${reports.map((r) => r.recall[name]!.toFixed(3)).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000,10000" },
      queries: { type: "string", default: "500" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log("Usage: bun bench/vector-index.ts [--sizes 1000,10000] [--queries 500] [--seed N]");
    return 0;
  }
  const sizes = values.sizes.split(",").map(Number);
  const queries = Number(values.queries);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(queries) || queries < 1) {
    console.error("bench/vector-index.ts: --sizes takes positive integers separated by commas, --queries a positive integer");
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-index-"));
  try {
    const reports: SizeReport[] = [];
    for (const size of sizes) reports.push(await measureSize(size, queries, seed, dir));
    process.stdout.write(formatReport(reports, queries, seed));
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) process.exitCode = await main();
