/**
 * What each step of the request path costs as a Claude Code conversation grows, in-process and
 * in CPU time (which a busy machine disturbs far less than latency): the turns of one
 * conversation, each the real next turn, go through parsing, validation, normalization, the
 * token estimate, the cache and affinity keys, conversion and the backend body, with the
 * server's ConversationMemo, or with `--fresh` as a proxy without it would (JSON.parse, every
 * step afresh). The difference is what the memo buys, step by step (docs/decisions/0011).
 *
 * @example
 * bun bench/conversation-steps.ts            # with the memo, 240 turns
 * bun bench/conversation-steps.ts --fresh    # without it
 */
import { parseArgs } from "node:util";
import { Value } from "@sinclair/typebox/value";
import { serializeRequestForCache } from "../src/cache/serialize-request-for-cache";
import { ConfigSchema } from "../src/config/config-schema";
import { ConversationMemo } from "../src/json/conversation-memo";
import { stringifyReusingFrozen } from "../src/json/stringify-reusing-frozen";
import { computeAffinityKey } from "../src/router/compute-affinity-key";
import { validateMessageCreate } from "../src/server/validate-message-request";
import { convertAnthropicRequestToOpenAIChat } from "../src/translate/convert-anthropic-request-to-openai-chat";
import { estimateInputTokens } from "../src/translate/estimate-input-tokens";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";
import { readCount } from "./bench-args";
import { buildConversationTurn } from "./build-conversation-turn";
import { summarizeLatencies } from "./latency-stats";

const { values } = parseArgs({
  options: {
    fresh: { type: "boolean", default: false },
    turns: { type: "string" },
    warmup: { type: "string" },
    buckets: { type: "string" },
  },
});
const TURNS = readCount(values.turns, 240, "--turns");
const WARMUP = readCount(values.warmup, 120, "--warmup");
const BUCKETS = readCount(values.buckets, 6, "--buckets");
const STEPS = ["parse", "validate", "normalize", "estimate", "cache key", "affinity key", "convert", "body"] as const;

const config = Value.Default(ConfigSchema, { backends: [{ url: "http://127.0.0.1:8080" }] }) as typeof ConfigSchema.static;
const memo = values.fresh ? undefined : new ConversationMemo({ maxDepth: 1_000 });
const decoder = new TextDecoder();
const convertOptions = { thinkingStyle: "chat_template_kwargs" as const, stream: true, memo };

/** One turn through every step; CPU µs per step. */
function runTurn(bytes: Uint8Array): Record<(typeof STEPS)[number], number> {
  const times = {} as Record<(typeof STEPS)[number], number>;
  let mark = process.cpuUsage();
  const lap = (step: (typeof STEPS)[number]) => {
    const used = process.cpuUsage(mark);
    times[step] = used.user + used.system;
    mark = process.cpuUsage();
  };
  const body = memo ? memo.parser.parse(bytes) : JSON.parse(decoder.decode(bytes));
  lap("parse");
  const request = validateMessageCreate(body, memo);
  lap("validate");
  const normalized = normalizeAnthropicRequest(request, config.claudeCode, memo).value;
  lap("normalize");
  estimateInputTokens(normalized, memo);
  lap("estimate");
  serializeRequestForCache(normalized, memo);
  lap("cache key");
  computeAffinityKey(normalized, memo);
  lap("affinity key");
  const chat = convertAnthropicRequestToOpenAIChat({ ...normalized, model: "qwen" }, convertOptions).value;
  lap("convert");
  stringifyReusingFrozen(chat, memo);
  lap("body");
  return times;
}

const encoder = new TextEncoder();
// A conversation of its own warms the JIT up; it shares no message with the measured one.
for (let turn = 0; turn < WARMUP; turn++) runTurn(encoder.encode(buildConversationTurn(turn, turn % 2 === 1, "warm-up")));
const rows: Array<{ bytes: number; times: Record<(typeof STEPS)[number], number> }> = [];
for (let turn = 0; turn < TURNS; turn++) {
  const bytes = encoder.encode(buildConversationTurn(turn, turn % 2 === 1));
  rows.push({ bytes: bytes.length, times: runTurn(bytes) });
}

const total = (row: (typeof rows)[number]) => STEPS.reduce((sum, step) => sum + row.times[step], 0);
process.stdout.write(
  `${memo ? "with the ConversationMemo" : "afresh (--fresh)"}, ${TURNS} turns of one conversation, Bun ${Bun.version}; CPU µs per turn, median of each bucket\n\n`,
);
process.stdout.write(`| request size | total | ${STEPS.join(" | ")} |\n|---|---|${STEPS.map(() => "---|").join("")}\n`);
const size = Math.ceil(rows.length / BUCKETS);
for (let start = 0; start < rows.length; start += size) {
  const bucket = rows.slice(start, start + size);
  const median = (pick: (row: (typeof rows)[number]) => number) => summarizeLatencies(bucket.map(pick)).p50.toFixed(0);
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  const cells = [median(total), ...STEPS.map((step) => median((row) => row.times[step]))];
  process.stdout.write(`| ${kb(bucket[0]!.bytes)}–${kb(bucket.at(-1)!.bytes)} | ${cells.join(" | ")} |\n`);
}
