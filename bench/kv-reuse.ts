/**
 * What stripping Claude Code's billing-header line saves, where it can: two recorded sessions and
 * their session-title side calls sent in turn through anyclaude to one real llama-server (one
 * slot, its host-memory prompt cache at the default), on the generated tiny tool-caller model,
 * in translate and native mode, with stripping on (the default) and off. Each replay gets a
 * fresh llama-server. Token counts come from llama-server's own /metrics; the requests and why
 * they are these: test/engines/measure-kv-reuse.ts.
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
import { type KvReuseMode, type MeasuredStep, measureKvReuse } from "../test/engines/measure-kv-reuse";
import { startTinyLlamaServer } from "../test/engines/start-tiny-llama-server";
import { findLlamaServer } from "../test/support/engines";
import { exitWithHelpIfAsked, readCount } from "./bench-args";

const HELP = `Usage: bun bench/kv-reuse.ts [--threads N] [--prompt-tier T]

  --threads N   llama-server CPU threads (-t); default 1, the fastest on a busy 2-core machine
  --prompt-tier T   prompt slimming anyclaude applies: off (default), safe, moderate or aggressive
  -h, --help    this text
`;

const MODES: KvReuseMode[] = ["translate", "native"];

async function replay(
  mode: KvReuseMode,
  stripBillingHeader: boolean,
  threads: number,
  promptTier: PromptTier,
): Promise<{ steps: MeasuredStep[]; build: string }> {
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-kv-"));
  const engine = await startTinyLlamaServer({ dir, variant: "tool-caller", threads });
  try {
    const props = (await (await fetch(`${engine.url}/props`)).json()) as { build_info?: string };
    return {
      steps: await measureKvReuse({ llamaServerUrl: engine.url, mode, stripBillingHeader, promptTier }),
      build: props.build_info ?? "?",
    };
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function formatWork({ work, wallMs }: MeasuredStep): string {
  const share = work.prompt === 0 ? 0 : (100 * work.evaluated) / work.prompt;
  return `${work.evaluated} / ${work.prompt} (${share.toFixed(share < 1 ? 2 : 1)} %) | ${work.promptSeconds.toFixed(2)} s / ${(wallMs / 1000).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { threads: { type: "string" }, "prompt-tier": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  exitWithHelpIfAsked(values.help, HELP);
  const promptTier = (values["prompt-tier"] ?? "off") as PromptTier;
  if (!PROMPT_TIERS.includes(promptTier)) throw new Error(`--prompt-tier must be one of ${PROMPT_TIERS.join(", ")}`);
  if (!findLlamaServer()) {
    console.error("llama-server is not built; run `bun run engines` first (about 20 minutes, once)");
    process.exit(2);
  }
  const threads = readCount(values.threads, 1, "--threads");
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(2))
      .join(" ");
  const loadBefore = load();
  const tables: string[] = [];
  let build = "?";
  for (const mode of MODES) {
    const runs = [];
    for (const strip of [true, false]) {
      process.stderr.write(`replaying in ${mode} mode, billing header ${strip ? "stripped" : "kept"}...\n`);
      const run = await replay(mode, strip, threads, promptTier);
      build = run.build;
      runs.push(run.steps);
    }
    const [stripped, kept] = runs as [MeasuredStep[], MeasuredStep[]];
    tables.push(
      `${mode} mode:`,
      "",
      "| request, in order | stripped: evaluated / prompt tokens | prompt eval / answer | kept: evaluated / prompt tokens | prompt eval / answer |",
      "|---|---|---|---|---|",
      ...stripped.map((step, index) => `| ${step.step} | ${formatWork(step)} | ${formatWork(kept[index]!)} |`),
      "",
    );
  }
  console.log(
    [
      "# KV-cache reuse with Claude Code's billing-header line stripped and kept",
      "",
      `llama-server ${build}, tiny tool-caller model, -np 1 -t ${threads}, prompt tier ${promptTier}, prompt cache at its default; ${cpus().length} cores (${cpus()[0]?.model ?? "?"}); load ${loadBefore} before, ${load()} after; bun ${Bun.version}`,
      "",
      ...tables,
      "Evaluated = prompt tokens llama-server computed; the rest of the prompt it reused from the slot or",
      "its prompt cache. Prompt eval is llama-server's own time for them; answer is the wall-clock time",
      "to the end of the streamed answer (the tiny model's short answer included).",
    ].join("\n"),
  );
}

await main();
