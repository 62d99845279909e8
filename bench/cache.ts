#!/usr/bin/env bun
/**
 * The response cache's costs. End to end through `anyclaude serve` in its own process: an exact
 * hit on Claude Code's recorded 49 KB request, as JSON and as SSE, next to a miss (the lean
 * llama-server look-alike answering at once) and the backend alone. In-process: the semantic
 * lookup (embed up to 256 tokens + HNSW k=1, and through SemanticCache with its SQLite check),
 * model load time, and the index insert rate. The stand-in model has MiniLM's signature, not its
 * weights: its figures say nothing about the real model's speed; `--model PATH` measures a real file.
 *
 *   bun bench/cache.ts                        stand-in model, 2,000 requests per figure
 *   bun bench/cache.ts --model ~/.cache/anyclaude/models/all-MiniLM-L6-v2.onnx
 *   bun bench/cache.ts --quick                smaller counts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ResponseCacheStats } from "../src/cache/response-cache";
import { writeMiniLMStandin } from "../test/support/generate-minilm-standin";
import { type Percentiles, summarizeLatencies } from "./latency-stats";
import { measureSemanticLookup } from "./measure-semantic-lookup";
import { type AnswerMode, type BenchRequest, prepareRequestPair } from "./prepare-overhead-requests";
import { spawnBenchProcess } from "./spawn-bench-process";

const { values } = parseArgs({
  options: { model: { type: "string" }, quick: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  strict: true,
});
if (values.help) {
  console.log("Usage: bun bench/cache.ts [--model PATH] [--quick]");
  process.exit(0);
}
const REQUESTS = values.quick ? 300 : 2000;
const ROOT = join(import.meta.dir, "..");
const scratch = mkdtempSync(join(tmpdir(), "anyclaude-bench-cache-"));
const format = (ms: number) => ms.toFixed(ms < 10 ? 3 : 1);
const describe = (p: Percentiles) => `p50 ${format(p.p50)}  p95 ${format(p.p95)}  p99 ${format(p.p99)} ms`;

async function send(request: BenchRequest, body = request.body): Promise<{ ms: number; cache: string | null }> {
  const started = performance.now();
  const response = await fetch(request.url, { method: "POST", headers: request.headers, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${request.url} answered ${response.status}`);
  return { ms: performance.now() - started, cache: response.headers.get("x-anyclaude-cache") };
}

/** Times `count` sends after a warm-up; checks each one's cache outcome. */
async function measure(
  count: number,
  run: (index: number) => Promise<{ ms: number; cache: string | null }>,
  expected?: string,
): Promise<Percentiles> {
  for (let index = 0; index < Math.min(200, count / 5); index++) await run(-1 - index);
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const { ms, cache } = await run(index);
    if (expected !== undefined && cache !== expected) throw new Error(`request ${index}: x-anyclaude-cache ${cache}, expected ${expected}`);
    samples.push(ms);
  }
  return summarizeLatencies(samples);
}

/** The same request with another last user turn: a miss, which the proxy then stores. */
function unique(body: string, index: number, mode: AnswerMode): string {
  return body.replace('"text":"say hi"', `"text":"say hi (${mode} ${index})"`);
}

async function measureExactHits(): Promise<void> {
  const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: ROOT });
  const proxy = await spawnBenchProcess(
    ["src/cli/main.ts", "serve", "--port", "0", "--backend", backend.url, "--log-level", "warn", "--data-dir", join(scratch, "data")],
    {
      cwd: ROOT,
      env: { HOME: scratch, XDG_CONFIG_HOME: join(scratch, "config"), XDG_CACHE_HOME: join(scratch, "cache") },
    },
  );
  try {
    console.log("\nexact cache, end to end (client → anyclaude serve → SQLite; loopback HTTP and reading the whole answer included)");
    console.log(`Claude Code's recorded request (49 KB, 12 tools), ${REQUESTS} requests per line, one at a time`);
    for (const mode of ["json", "stream"] as const) {
      const pair = await prepareRequestPair("49KB", mode, { proxyUrl: proxy.url, backendUrl: backend.url });
      const direct = await measure(REQUESTS, () => send(pair.direct));
      const miss = await measure(REQUESTS, (index) => send(pair.proxied, unique(pair.proxied.body, index, mode)), "miss");
      const hit = await measure(REQUESTS, () => send(pair.proxied), "hit");
      console.log(`  ${mode.padEnd(6)} hit          ${describe(hit)}   (target p50 ≤ 1 ms)`);
      console.log(`  ${mode.padEnd(6)} miss + store ${describe(miss)}`);
      console.log(`  ${mode.padEnd(6)} backend alone, its own request ${describe(direct)}`);
    }
    const stats = (await (await fetch(`${proxy.url}/v1/cache/stats`)).json()) as ResponseCacheStats;
    const { lookups, lookupMicrosSum } = stats.counters.total;
    console.log(
      `  lookup inside the proxy (key hashing + SQLite), mean over ${lookups}: ${(lookupMicrosSum / lookups / 1000).toFixed(3)} ms; store: ${JSON.stringify(stats.exact)}`,
    );
  } finally {
    await proxy.stop();
    await backend.stop();
  }
}

try {
  console.log(
    `anyclaude cache bench: Bun ${Bun.version}, ${cpus().length} cores, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
  );
  await measureExactHits();
  const modelPath = values.model ?? writeMiniLMStandin(join(scratch, "minilm-standin.onnx"));
  await measureSemanticLookup({
    modelPath,
    realModel: values.model !== undefined,
    dir: join(scratch, "semantic"),
    runs: values.quick ? 100 : 500,
    entries: values.quick ? 2_000 : 10_000,
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
