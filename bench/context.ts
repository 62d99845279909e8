/**
 * The context step: (1) the time to decide a trim per turn, for a 200-message conversation with
 * counts memoized (target ≤ 2 ms); (2) per turn, the share of the prompt an engine's prefix cache
 * would have to re-evaluate, anyclaude's trim against a naive sliding window that drops the
 * oldest turns until the prompt fits, on the same turns, in estimated tokens; (3) with
 * `--engine`, the same replay against a real llama-server, which reports what it re-evaluated.
 *
 * @example
 * bun bench/context.ts
 * bun bench/context.ts --window 16384 --turns 40 --preamble small
 * bun bench/context.ts --engine        # and replay it against a real llama-server (bun run engines)
 * bun bench/context.ts --engine --oversized   # with the whole-file reads and listings in the replay
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createEstimatingTokenCounter } from "../src/context/estimate-tokens";
import { fitRequestToWindow } from "../src/context/fit-request-to-window";
import { countRequestTokens, memoizeTokenCounter, type TokenCounter, TokenCountMemo } from "../src/context/token-counter";
import { deepFreeze } from "../src/json/deep-freeze";
import type { MessageCreateParams, MessageParam } from "../src/protocol/anthropic/messages";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../test/support/claude-code-fixtures";
import { generateToolConversation, toolConversationRequest } from "../test/support/generate-tool-conversation";
import { summarizeLatencies } from "./latency-stats";
import { replayContextOnLlamaServer } from "./replay-context-on-llama-server";
import { slideNaiveWindow } from "./slide-naive-window";

const { values } = parseArgs({
  options: {
    window: { type: "string", default: "32768" },
    turns: { type: "string", default: "40" },
    preamble: { type: "string", default: "claude-code" },
    engine: { type: "boolean", default: false },
    oversized: { type: "boolean", default: false },
    threads: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log(
    "Usage: bun bench/context.ts [--window TOKENS] [--turns N] [--preamble claude-code|small] [--engine [--threads N] [--oversized]]",
  );
  process.exit(0);
}
const window = Number(values.window);
const turns = Number(values.turns);
const settings = { window, policy: "trim" as const, outputReserveTokens: 8_192, lowWater: 0.65, recentTurns: 2 };

const recorded = readClaudeCodeRequests().find(({ name }) => name.includes("say-hi"))!.body;
const claudeCode = normalizeAnthropicRequest(recorded, { stripBillingHeader: true, systemMessages: "hoist" }).value;
// Frozen, as the server's parser hands over what Claude Code resends every turn.
const preamble = deepFreeze(
  values.preamble === "small" ? { system: "You are a coding agent. Use the tools to read and change files.", tools: [] } : claudeCode,
);

// 1. Deciding, 200 messages, as a session does it: the memo warmed by the turns before.
{
  const conversation = deepFreeze(generateToolConversation({ turns: 100 }));
  const counter = memoizeTokenCounter(createEstimatingTokenCounter(), new TokenCountMemo());
  const decide = (messages: MessageParam[]) =>
    fitRequestToWindow(toolConversationRequest(messages, { system: preamble.system, tools: preamble.tools }), settings, counter, {
      hasContextFallback: false,
    });
  const perTurn: number[] = [];
  for (let turn = 1; turn <= 100; turn++) {
    const started = performance.now();
    decide(conversation.slice(0, 2 * turn + 1));
    perTurn.push(performance.now() - started);
  }
  const repeated: number[] = [];
  for (let run = 0; run < 300; run++) {
    const started = performance.now();
    decide(conversation);
    repeated.push(performance.now() - started);
  }
  const show = (samples: number[]) => {
    const { p50, p95, p99 } = summarizeLatencies(samples);
    return `p50 ${p50.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`;
  };
  console.log(
    `Deciding (window ${window}, ${values.preamble} preamble), memoized counts; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores:`,
  );
  console.log(`  each turn of a 100-turn session as it grows:  ${show(perTurn)}`);
  console.log(`  the 201-message request, 300 times:           ${show(repeated)}`);
}

// 2. What each turn re-evaluates, trim against a naive sliding window.
{
  const conversation = deepFreeze(generateToolConversation({ turns }));
  const counter = memoizeTokenCounter(createEstimatingTokenCounter(), new TokenCountMemo());
  const budget = window - Math.min(settings.outputReserveTokens, Math.floor(window / 4));
  let previousTrim: MessageCreateParams | undefined;
  let previousNaive: MessageCreateParams | undefined;
  const shares = { trim: [] as number[], naive: [] as number[] };
  let outgrown = false;
  console.log(`\nRe-evaluated share per turn (window ${window}, budget ${budget}, ${values.preamble} preamble, estimated tokens):`);
  console.log("turn  tokens  trim: sent  re-eval  share | naive: sent  re-eval  share");
  for (let turn = 1; turn <= turns; turn++) {
    const request = toolConversationRequest(conversation.slice(0, 2 * turn + 1), { system: preamble.system, tools: preamble.tools });
    let trimmed: MessageCreateParams;
    try {
      trimmed = fitRequestToWindow(request, settings, counter, { hasContextFallback: false }).value.request;
    } catch (error) {
      console.log(`${String(turn).padStart(4)}  ${(error as Error).message}`);
      continue;
    }
    const naive = slideNaiveWindow(request, counter, budget);
    const total = countRequestTokens(request, counter);
    outgrown ||= total > budget;
    const trim = reEvaluated(previousTrim, trimmed, counter);
    const slid = reEvaluated(previousNaive, naive, counter);
    if (outgrown) {
      shares.trim.push(trim.share);
      shares.naive.push(slid.share);
    }
    const note = !outgrown ? "   (fits: not averaged)" : slid.sent > budget ? "   (naive: over the window, the engine refuses)" : "";
    console.log(`${String(turn).padStart(4)}  ${String(total).padStart(6)}  ${row(trim)} | ${row(slid)}${note}`);
    previousTrim = trimmed;
    previousNaive = naive;
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  console.log(
    `\nAveraged over the ${shares.trim.length} turns after the conversation first outgrew the window: trim re-evaluates ${(100 * mean(shares.trim)).toFixed(1)} % of the prompt, the naive sliding window ${(100 * mean(shares.naive)).toFixed(1)} %.`,
  );
}

function row(figures: { sent: number; tokens: number; share: number }): string {
  return `${String(figures.sent).padStart(10)}  ${String(figures.tokens).padStart(7)}  ${(100 * figures.share).toFixed(0).padStart(4)} %`;
}

/** Tokens after the longest run of whole messages shared with the previous prompt (a cached prefix ends there). */
function reEvaluated(previous: MessageCreateParams | undefined, current: MessageCreateParams, counter: TokenCounter) {
  const sent = countRequestTokens(current, counter);
  let shared = counter.countSystem(current.system) + counter.countTools(current.tools);
  if (previous === undefined) return { sent, tokens: sent, share: 1 };
  for (let i = 0; i < Math.min(previous.messages.length, current.messages.length); i++) {
    if (JSON.stringify(previous.messages[i]) !== JSON.stringify(current.messages[i])) break;
    shared += counter.countMessage(current.messages[i]!);
  }
  return { sent, tokens: sent - shared, share: (sent - shared) / sent };
}

// 3. The same replay against a real llama-server: what the engine itself re-evaluated.
if (values.engine) {
  // By default without the whole-file reads and listings: the naive window cannot send those at
  // all, and the conversation then outgrows the window by steady growth, turn after turn.
  const never = values.oversized ? undefined : Number.POSITIVE_INFINITY;
  const conversation = deepFreeze(generateToolConversation({ turns, hugeReadEvery: never, listingEvery: never }));
  const counter = memoizeTokenCounter(createEstimatingTokenCounter(), new TokenCountMemo());
  await replayContextOnLlamaServer({ conversation, turns, preamble, settings, counter, threads: Number(values.threads) });
}
