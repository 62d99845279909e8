/**
 * The embedder's costs: loading (ONNX Runtime and the model session), tokenizing, and embedding
 * texts of up to 256 tokens one at a time and in batches of 8. Runs the generated stand-in
 * model by default (MiniLM's exact signature, not its weights: its speed says nothing about
 * the real model's), or a real all-MiniLM-L6-v2 file given with --model.
 *
 * @example
 * bun bench/embed.ts                                  # stand-in model
 * bun bench/embed.ts --model ~/.cache/anyclaude/models/all-MiniLM-L6-v2.onnx --runs 300
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadBertUncasedTokenizer } from "../src/embed/bert-uncased-tokenizer";
import { MiniLMEmbedder } from "../src/embed/minilm-embedder";
import { writeMiniLMStandin } from "../test/support/generate-minilm-standin";
import { summarizeLatencies } from "./latency-stats";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    runs: { type: "string", default: "200" },
    threads: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log("Usage: bun bench/embed.ts [--model PATH] [--runs N] [--threads N]");
  process.exit(0);
}
const runs = Number(values.runs);
const threads = Number(values.threads);
if (!Number.isInteger(runs) || runs < 10) throw new Error(`--runs must be an integer of at least 10, not ${values.runs}`);

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-bench-embed-"));
const modelPath = values.model ?? writeMiniLMStandin(join(scratch, "minilm-standin.onnx"));
const options = { modelPath, cacheDir: join(scratch, "cache"), threads };

/** Deterministic English-like text, different for every seed, so no two runs embed the same input. */
function makeText(seed: number, words: number): string {
  const vocabulary = [
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
  return Array.from({ length: words }, (_, index) => vocabulary[(seed * 7919 + index * 104_729) % vocabulary.length]).join(" ");
}

async function time(run: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const format = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

try {
  console.log(
    `anyclaude embedder benchmark, Bun ${Bun.version}, ${cpus().length} cores, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
  );
  const embedder = new MiniLMEmbedder(options);
  const coldMs = await time(() => embedder.load());
  const report = await embedder.load();
  console.log(
    `model: ${values.model ? report.path : "generated stand-in"} (${(report.bytes / 1e6).toFixed(1)} MB, sha256 ${report.sha256.slice(0, 16)}…), ${threads} thread(s)`,
  );
  console.log(`first load (ONNX Runtime + session): ${format(coldMs)} ms`);

  const sessionLoads: number[] = [];
  for (let run = 0; run < 5; run++) {
    const fresh = new MiniLMEmbedder(options);
    sessionLoads.push(await time(() => fresh.load()));
    await fresh.close();
  }
  console.log(`session load, runtime already loaded: p50 ${format(summarizeLatencies(sessionLoads).p50)} ms (5 loads)`);

  const tokenizer = loadBertUncasedTokenizer();
  const long = makeText(1, 400);
  const tokenTimes: number[] = [];
  for (let run = 0; run < runs; run++) tokenTimes.push(await time(() => tokenizer.encode(makeText(run, 300))));
  console.log(
    `tokenize a 300-word text (cut to ${tokenizer.encode(long).ids.length} tokens): p50 ${format(summarizeLatencies(tokenTimes).p50)} ms`,
  );

  const cases: [string, number, number][] = [
    ["1 text of 16 tokens", 1, 14],
    ["1 text of 256 tokens", 1, 400],
    ["8 texts of 256 tokens", 8, 400],
  ];
  for (const [label, batch, words] of cases) {
    for (let run = 0; run < 10; run++)
      await embedder.embed(Array.from({ length: batch }, (_, index) => makeText(run * batch + index, words)));
    const samples: number[] = [];
    const count = batch === 1 ? runs : Math.max(10, Math.round(runs / 4));
    for (let run = 0; run < count; run++)
      samples.push(
        await time(() => embedder.embed(Array.from({ length: batch }, (_, index) => makeText(1000 + run * batch + index, words)))),
      );
    const { p50, p95 } = summarizeLatencies(samples);
    console.log(
      `embed ${label}: p50 ${format(p50)} ms, p95 ${format(p95)} ms (${count} runs${batch > 1 ? `; ${format(p50 / batch)} ms a text` : ""})`,
    );
  }
  await embedder.close();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
