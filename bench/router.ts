/**
 * The router's numbers (issue 5), one section per measurement. `decision`: what choosing a
 * target costs per request, in-process: rankCandidates for every strategy over 4 and 16
 * targets, computeAffinityKey on Claude Code's recorded 49 KB request, and the whole
 * prefix-affinity decision (key, rank, llama-server slot). Target: ≤ 50 µs per decision.
 * `dispatch` (router-dispatch.ts): the whole Router.dispatch around an attempt that does nothing.
 * `failover` (router-failover.ts): success rate and added latency with one of two backends
 * failing every 3rd request. `detection` (router-detection.ts): time to notice a dead backend
 * and to use it again, by health probes and by passive detection (about a minute).
 *
 * @example
 * bun bench/router.ts                          # every section
 * bun bench/router.ts --section decision       # one section
 * bun bench/router.ts --iterations 5000
 */
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { STRATEGY_NAMES } from "../src/config/config-choices";
import type { MessageCreateParams } from "../src/protocol/anthropic/messages";
import type { Candidate } from "../src/router/candidate";
import { chooseLlamaSlot } from "../src/router/choose-llama-slot";
import { computeAffinityKey } from "../src/router/compute-affinity-key";
import { rankCandidates } from "../src/router/rank-candidates";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";
import { measureDetection } from "./router-detection";
import { measureDispatch } from "./router-dispatch";
import { measureFailover } from "./router-failover";

const TARGET_DECISION_US = 50;
const BODY_PATH = join(import.meta.dir, "../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");

const { values } = parseArgs({
  options: { section: { type: "string" }, iterations: { type: "string", default: "20000" }, help: { type: "boolean", short: "h" } },
  strict: true,
});

const SECTIONS: Record<string, () => Promise<void>> = {
  decision: measureDecisionOverhead,
  dispatch: measureDispatch,
  failover: measureFailover,
  detection: measureDetection,
};

if (values.help) {
  console.log(`Usage: bun bench/router.ts [--section ${Object.keys(SECTIONS).join("|")}] [--iterations N]`);
  process.exit(0);
}
const ITERATIONS = Number(values.iterations);
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 20)
  throw new Error(`--iterations must be an integer of at least 20, not ${values.iterations}`);
if (values.section !== undefined && !(values.section in SECTIONS)) throw new Error(`unknown --section ${values.section}`);

process.stdout.write(
  `anyclaude router bench; Bun ${Bun.version}, ${cpus().length} cores, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(" ")}.\n`,
);
for (const [name, run] of Object.entries(SECTIONS)) {
  if (values.section === undefined || values.section === name) await run();
}

// ---------------------------------------------------------------------------------------------
// Section `decision`: the cost of one routing decision.
// ---------------------------------------------------------------------------------------------

async function measureDecisionOverhead(): Promise<void> {
  const body = (await Bun.file(BODY_PATH).json()) as MessageCreateParams;
  const normalized = normalizeAnthropicRequest(body, { stripBillingHeader: true, systemMessages: "hoist" }).value;
  // Distinct keys, as from distinct conversations, so no branch predictor learns one answer.
  const keys = Array.from({ length: 1024 }, (_, index) => new Bun.CryptoHasher("sha256").update(`conversation-${index}`).digest("hex"));
  const rows: Array<[string, number, number | undefined]> = [];

  for (const size of [4, 16]) {
    const candidates = buildCandidates(size);
    for (const strategy of STRATEGY_NAMES) {
      let call = 0;
      const micros = timePerCall(() => rankCandidates(strategy, candidates, { random: Math.random, affinityKey: keys[call++ & 1023] }));
      rows.push([`rankCandidates ${strategy}, ${size} targets`, micros, TARGET_DECISION_US]);
    }
  }
  rows.push(["computeAffinityKey, 49 KB request (normalized)", timePerCall(() => computeAffinityKey(normalized)), undefined]);
  rows.push(["computeAffinityKey, 49 KB request (raw, billing line kept)", timePerCall(() => computeAffinityKey(body)), undefined]);
  let slotCall = 0;
  rows.push(["chooseLlamaSlot, 4 slots", timePerCall(() => chooseLlamaSlot(keys[slotCall++ & 1023]!, 4)), undefined]);
  const sixteen = buildCandidates(16);
  const whole = timePerCall(() => {
    const affinityKey = computeAffinityKey(normalized);
    rankCandidates("prefix-affinity", sixteen, { random: Math.random, affinityKey });
    return chooseLlamaSlot(affinityKey, 4);
  });
  rows.push(["prefix-affinity decision, 49 KB request: key + rank 16 + slot", whole, TARGET_DECISION_US]);

  process.stdout.write(`\n## Decision overhead\n\n`);
  process.stdout.write(`Median over 20 batches of the mean µs per call; ${ITERATIONS} timed calls per row after warm-up.\n\n`);
  process.stdout.write(`| decision | µs per call | target |\n|---|---|---|\n`);
  for (const [name, micros, target] of rows) {
    const verdict = target === undefined ? "" : micros <= target ? `≤ ${target} µs: met` : `≤ ${target} µs: MISSED`;
    process.stdout.write(`| ${name} | ${micros.toFixed(2)} | ${verdict} |\n`);
  }
}

/** A model group of `size` targets with varied, realistic figures; a few unavailable or full. */
function buildCandidates(size: number): Candidate[] {
  return Array.from({ length: size }, (_, index) => ({
    id: `backend-${index}/qwen3-coder-30b`,
    backendId: `backend-${index}`,
    model: "qwen3-coder-30b",
    weight: 1 + (index % 3),
    priority: index % 2,
    inFlight: (index * 7) % 5,
    maxConcurrency: index % 4 === 0 ? Number.POSITIVE_INFINITY : 4,
    tokensPerMinute: (index * 7919) % 60_000,
    latencyEwmaMs: index % 5 === 0 ? undefined : 80 + ((index * 131) % 900),
    available: index % 7 !== 6,
  }));
}

/** Median over 20 batches of the mean time per call, in µs: robust to a GC pause in one batch. */
function timePerCall(run: () => unknown): number {
  let sink: unknown;
  const warmup = Math.max(1_000, ITERATIONS / 4);
  for (let i = 0; i < warmup; i++) sink = run();
  const batch = Math.max(1, Math.floor(ITERATIONS / 20));
  const means: number[] = [];
  for (let b = 0; b < 20; b++) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) sink = run();
    means.push(((performance.now() - started) * 1000) / batch);
  }
  if (sink === Symbol.for("never")) console.log(sink); // keeps the calls from being optimized away
  return means.sort((a, b) => a - b)[10]!;
}
