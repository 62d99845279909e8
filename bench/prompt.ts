/**
 * Prompt slimming (issue 17) on every request recorded from Claude Code 2.1.332: tokens of system
 * prompt and tool definitions per tier, counted by a real llama-server's /tokenize when one is
 * built (else by anyclaude's estimate, and it says so), the critical parts kept, and the time to
 * slim a first request (nothing remembered) and a repeated one (from the memo, its tools parsed
 * as the server parses them).
 *
 * @example
 * bun bench/prompt.ts                 # needs `bun run engines` once for the engine's tokenizer
 * bun bench/prompt.ts --runs 500 --estimate-only
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROMPT_TIERS, type PromptTier } from "../src/config/prompt-config-schema";
import { ConversationMemo } from "../src/json/conversation-memo";
import { findCriticalUnits } from "../src/prompt/find-critical-units";
import { mapSchemaDescriptions } from "../src/prompt/map-schema-descriptions";
import { parsePromptUnits } from "../src/prompt/parse-prompt-units";
import { estimatePromptTokens, PromptOptimizer } from "../src/prompt/prompt-optimizer";
import type { MessageCreateParams, ToolParam } from "../src/protocol/anthropic/messages";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";
import { startTinyLlamaServer } from "../test/engines/start-tiny-llama-server";
import { readClaudeCodeRequests } from "../test/support/claude-code-fixtures";
import { findLlamaServer } from "../test/support/engines";
import { summarizeLatencies } from "./latency-stats";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    "estimate-only": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log(`Usage: bun bench/prompt.ts [--runs N] [--estimate-only]

  --runs N          timed slimmings per request and case (default 200)
  --estimate-only   count with anyclaude's estimate even when llama-server is built`);
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 10) throw new Error(`--runs must be an integer of at least 10, not ${values.runs}`);

const TARGETS: Record<Exclude<PromptTier, "off">, number> = { safe: 0.15, moderate: 0.45, aggressive: 0.7 };
const TARGET_FIRST_MS = 5;
const TARGET_REPEATED_MS = 0.05;
/** Below this many tokens of system prompt and tools, the share targets do not apply. */
const MIN_SLIMMABLE_TOKENS = 500;
const DEFER_TOOLS = ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"];
const NORMALIZE = { stripBillingHeader: true, systemMessages: "hoist" } as const;
const newOptimizer = () => new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS });

type Counter = (parts: Pick<MessageCreateParams, "system" | "tools">) => Promise<number>;

/** llama-server's /tokenize over the system text and each tool as the engine's template writes it (JSON). */
function engineCounter(url: string): Counter {
  const tokenize = async (content: string) =>
    ((await (await fetch(`${url}/tokenize`, { method: "POST", body: JSON.stringify({ content }) })).json()) as { tokens: number[] }).tokens
      .length;
  return async ({ system, tools }) => {
    const text = system === undefined ? "" : typeof system === "string" ? system : system.map((block) => block.text).join("\n");
    let count = text === "" ? 0 : await tokenize(text);
    for (const tool of tools ?? [])
      count += await tokenize(JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.input_schema }));
    return count;
  };
}

/** Critical units of the input (system and tool prose) and how many are still there, verbatim or in a deferred tool. */
function countCriticalKept(input: MessageCreateParams, output: MessageCreateParams): { kept: number; total: number } {
  const outSystem = typeof output.system === "string" ? output.system : (output.system ?? []).map((block) => block.text).join("\n");
  const outTools = new Map((output.tools ?? []).map((tool) => [tool.name, JSON.stringify(tool)]));
  let kept = 0;
  let total = 0;
  const check = (text: string, place: "system" | "tool", found: (unit: string) => boolean) => {
    const { units } = parsePromptUnits(text);
    findCriticalUnits(units, place).forEach((kind, index) => {
      if (kind === undefined) return;
      total++;
      if (found(units[index]!.text)) kept++;
    });
  };
  const inSystem = typeof input.system === "string" ? [input.system] : (input.system ?? []).map((block) => block.text);
  for (const text of inSystem) check(text, "system", (unit) => outSystem.includes(unit));
  for (const tool of input.tools ?? []) {
    const out = outTools.get(tool.name);
    // A deferred tool is whole on Claude Code's side; it counts as kept when the prompt names it.
    const found = (unit: string) => (out === undefined ? outSystem.includes(tool.name) : out.includes(JSON.stringify(unit).slice(1, -1)));
    for (const text of collectToolProse(tool)) check(text, "tool", found);
  }
  return { kept, total };
}

/**
 * The most the safe tier's own definition (whitespace, duplicated sections, repeated reminders:
 * nothing with meaning) could remove: every run of spaces made one, every blank line and every
 * repeated line of more than 20 characters dropped, in the system text and all tool prose.
 */
function squeezeToSafeCeiling(request: MessageCreateParams): Pick<MessageCreateParams, "system" | "tools"> {
  const seen = new Set<string>();
  const squeeze = (text: string) =>
    text
      .split("\n")
      .map((line) => line.replace(/[ \t]+/g, " ").trim())
      .filter((line) => line !== "" && !(line.length > 20 && seen.has(line)) && seen.add(line))
      .join("\n");
  const system =
    typeof request.system === "string"
      ? squeeze(request.system)
      : request.system?.map((block) => ({ ...block, text: squeeze(block.text) }));
  const tools = request.tools?.map((tool) => ({
    ...tool,
    ...(tool.description === undefined ? {} : { description: squeeze(tool.description) }),
    input_schema: mapSchemaDescriptions(tool.input_schema, squeeze),
  }));
  return { system, tools };
}

function collectToolProse(tool: ToolParam): string[] {
  const texts = tool.description === undefined ? [] : [tool.description];
  mapSchemaDescriptions(tool.input_schema, (text) => {
    texts.push(text);
    return text;
  });
  return texts;
}

interface Timing {
  /** p50 of wall-clock ms per slimming. */
  wall: number;
  /** p50 of this process's CPU ms per slimming: what it costs, whatever else the machine runs. */
  cpu: number;
}

/** Times `slim` once per prepared call, after warm-up calls. */
function time(calls: Array<() => void>, warmUp: number): Timing {
  for (const call of calls.slice(0, warmUp)) call();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const call of calls.slice(warmUp)) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    call();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: summarizeLatencies(wall).p50, cpu: summarizeLatencies(cpu).p50 };
}

/** A first request: a fresh optimizer, nothing remembered. */
function timeFirst(request: MessageCreateParams, tier: PromptTier): Timing {
  const optimizers = Array.from({ length: runs + 20 }, newOptimizer);
  return time(
    optimizers.map((optimizer) => () => optimizer.slim(request, tier)),
    20,
  );
}

/** A repeated request: each turn's body parsed and normalized as the server does (frozen, shared tools), then slimmed from the memo. */
function timeRepeated(body: Uint8Array, tier: PromptTier): Timing {
  const memo = new ConversationMemo();
  const optimizer = newOptimizer();
  const turns = Array.from(
    { length: runs + 20 },
    () => normalizeAnthropicRequest(memo.parser.parse(body) as MessageCreateParams, NORMALIZE, memo).value,
  );
  return time(
    turns.map((turn) => () => optimizer.slim(turn, tier)),
    20,
  );
}

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-bench-prompt-"));
const binary = values["estimate-only"] ? undefined : findLlamaServer();
const engine = binary === undefined ? undefined : await startTinyLlamaServer({ dir: scratch, variant: "tool-caller" });
const count: Counter = engine === undefined ? async (parts) => estimatePromptTokens(parts) : engineCounter(engine.url);
try {
  console.log(
    `prompt slimming on ${new Date().toISOString()}, ${cpus().length} cores, load ${loadavg()
      .map((value) => value.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    engine === undefined
      ? "tokens: anyclaude's estimate (chars / 4 + per-tool overhead); llama-server not used"
      : "tokens: llama-server /tokenize, the generated tiny model's vocabulary (SentencePiece-style, byte fallback), system text + each tool's JSON",
  );
  console.log(`times: p50 of ${runs} runs, wall-clock / this process's CPU`);
  console.log("safe ceiling: the most safe's own definition can remove (all whitespace runs, blank and repeated lines)\n");
  console.log("| request | tier | tokens before | after | fewer | target | safe ceiling | critical kept | first ms | repeated ms |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  const misses: string[] = [];
  for (const recorded of readClaudeCodeRequests()) {
    const body = new TextEncoder().encode(JSON.stringify(recorded.body));
    const request = normalizeAnthropicRequest(recorded.body, NORMALIZE).value;
    const before = await count(request);
    const ceiling = 1 - (await count(squeezeToSafeCeiling(request))) / before;
    for (const tier of PROMPT_TIERS.filter((candidate) => candidate !== "off")) {
      const slimmed = newOptimizer().slim(request, tier);
      const after = await count(slimmed.request);
      const fewer = 1 - after / before;
      const critical = countCriticalKept(request, slimmed.request);
      const first = timeFirst(request, tier);
      const repeated = timeRepeated(body, tier);
      const target = TARGETS[tier as keyof typeof TARGETS];
      const name = recorded.name.replace("cc-2.1.332_", "");
      // A prompt of a few dozen tokens (Claude Code's web search side call) has nothing to slim.
      const slimmable = before >= MIN_SLIMMABLE_TOKENS;
      if (slimmable && fewer < target)
        misses.push(
          `${name} ${tier}: ${(100 * fewer).toFixed(1)} % < ${100 * target} %${tier === "safe" && ceiling < target ? ` (its ceiling: ${(100 * ceiling).toFixed(1)} %)` : ""}`,
        );
      if (critical.kept < critical.total) misses.push(`${name} ${tier}: critical ${critical.kept}/${critical.total}`);
      if (first.wall > TARGET_FIRST_MS) misses.push(`${name} ${tier}: first ${first.wall.toFixed(2)} ms > ${TARGET_FIRST_MS} (wall)`);
      if (repeated.wall > TARGET_REPEATED_MS)
        misses.push(`${name} ${tier}: repeated ${repeated.wall.toFixed(4)} ms > ${TARGET_REPEATED_MS} (wall)`);
      const times = (timing: Timing, digits: number) => `${timing.wall.toFixed(digits)} / ${timing.cpu.toFixed(digits)}`;
      console.log(
        `| ${name} | ${tier} | ${before} | ${after} | ${(100 * fewer).toFixed(1)} % | ${slimmable ? `≥ ${100 * target} %` : `n/a (< ${MIN_SLIMMABLE_TOKENS})`} | ${tier === "safe" ? `${(100 * ceiling).toFixed(1)} %` : ""} | ${critical.kept}/${critical.total} | ${times(first, 2)} | ${times(repeated, 4)} |`,
      );
    }
  }
  console.log(misses.length === 0 ? "\nevery target met" : `\ntargets missed:\n${misses.map((miss) => `- ${miss}`).join("\n")}`);
} finally {
  await engine?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
