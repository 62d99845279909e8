/**
 * What stripping Claude Code's billing-header line saves (issue 4): Claude Code's recorded 49 KB
 * request, then the same request with another `cc_version` in that line (the next turn), sent
 * through anyclaude to a real llama-server on the generated tiny tool-caller model, in translate
 * and native mode, with stripping on (the default) and off. Each case gets a fresh llama-server,
 * so turn 1 starts from an empty cache. Token counts come from llama-server's own /metrics.
 *
 * @example
 * bun bench/kv-reuse.ts               # needs `bun run engines` once (builds llama-server)
 * bun bench/kv-reuse.ts --threads 2
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROMPT_TIERS, type PromptTier } from "../src/config/prompt-config-schema";
import { type KvReuseMeasurement, type KvReuseMode, measureKvReuse } from "../test/engines/measure-kv-reuse";
import { startTinyLlamaServer } from "../test/engines/start-tiny-llama-server";
import { findLlamaServer } from "../test/support/engines";

const HELP = `Usage: bun bench/kv-reuse.ts [--threads N] [--prompt-tier TIER]

  --threads N          llama-server CPU threads (-t); default 1, the fastest on a busy 2-core machine
  --prompt-tier TIER   prompt slimming for every case: off (default), safe, moderate, aggressive
  -h, --help           this text
`;

interface Case {
  mode: KvReuseMode;
  stripBillingHeader: boolean;
}

const CASES: Case[] = [
  { mode: "translate", stripBillingHeader: true },
  { mode: "translate", stripBillingHeader: false },
  { mode: "native", stripBillingHeader: true },
  { mode: "native", stripBillingHeader: false },
];

async function runCase(item: Case, threads: number, promptTier: PromptTier): Promise<KvReuseMeasurement & { build: string }> {
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-kv-"));
  const engine = await startTinyLlamaServer({ dir, variant: "tool-caller", threads });
  try {
    const props = (await (await fetch(`${engine.url}/props`)).json()) as { build_info?: string };
    return { ...(await measureKvReuse({ llamaServerUrl: engine.url, ...item, promptTier })), build: props.build_info ?? "?" };
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function formatShare(evaluated: number, prompt: number): string {
  return `${evaluated} / ${prompt} (${((100 * evaluated) / prompt).toFixed(prompt > 0 && evaluated / prompt < 0.01 ? 3 : 1)} %)`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function formatRow(item: Case, result: KvReuseMeasurement): string {
  const { turn1, turn2 } = result;
  return [
    item.mode,
    item.stripBillingHeader ? "stripped" : "kept",
    formatShare(turn1.work.evaluated, turn1.work.prompt),
    formatSeconds(turn1.wallMs),
    formatShare(turn2.work.evaluated, turn2.work.prompt),
    formatSeconds(turn2.wallMs),
    formatSeconds(turn2.work.promptSeconds * 1000),
  ].join(" | ");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { threads: { type: "string" }, "prompt-tier": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return void process.stdout.write(HELP);
  const promptTier = (values["prompt-tier"] ?? "off") as PromptTier;
  if (!PROMPT_TIERS.includes(promptTier)) throw new Error(`--prompt-tier must be one of ${PROMPT_TIERS.join(", ")}`);
  if (!findLlamaServer()) {
    console.error("llama-server is not built; run `bun run engines` first (about 20 minutes, once)");
    process.exit(2);
  }
  const threads = Number(values.threads ?? 1);
  const loadBefore = loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");
  const rows: string[] = [];
  let build = "?";
  for (const item of CASES) {
    process.stderr.write(`measuring ${item.mode}, billing header ${item.stripBillingHeader ? "stripped" : "kept"}...\n`);
    const result = await runCase(item, threads, promptTier);
    build = result.build;
    rows.push(`| ${formatRow(item, result)} |`);
  }
  console.log(
    [
      `# KV-cache reuse across two Claude Code turns (recorded 49 KB request)`,
      "",
      `llama-server ${build}, tiny tool-caller model, -t ${threads}, prompt tier ${promptTier}; ${cpus().length} cores (${cpus()[0]?.model ?? "?"}); load ${loadBefore} before, ${loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")} after; bun ${Bun.version}`,
      "",
      "| mode | billing header | turn 1 evaluated / prompt tokens | turn 1 time | turn 2 evaluated / prompt tokens | turn 2 time | turn 2 prompt eval (engine) |",
      "|---|---|---|---|---|---|---|",
      ...rows,
      "",
      "Turn 1 starts from an empty cache. Times are wall-clock to the end of the streamed answer",
      "(the tiny model's ~45-token tool call included); the last column is llama-server's own",
      "prompt-evaluation time for turn 2.",
    ].join("\n"),
  );
}

await main();
