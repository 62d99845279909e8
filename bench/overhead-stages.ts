/**
 * Where anyclaude's time goes on Claude Code's 49 KB request, stage by stage: each step of the
 * request path (parse, validate, normalize, estimate, route, convert, serialize) and of the
 * answer (JSON conversion, stream conversion and SSE encoding) timed in-process on its own,
 * with the same inputs and options the server uses. The HTTP work (Bun.serve, Elysia, fetch to
 * the backend) is what the end-to-end figure of bench/overhead.ts adds on top of these.
 *
 * @example
 * bun bench/overhead-stages.ts               # 2,000 timed iterations per stage
 * bun bench/overhead-stages.ts --iterations 500
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Value } from "@sinclair/typebox/value";
import { parseBackendJson } from "../src/backends/parse-backend-json";
import { ConfigSchema } from "../src/config/config-schema";
import { ConversationMemo } from "../src/json/conversation-memo";
import { stringifyReusingFrozen } from "../src/json/stringify-reusing-frozen";
import { createMetrics } from "../src/metrics/metrics";
import type { MessageCreateParams } from "../src/protocol/anthropic/messages";
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  checkChatCompletion,
  checkChatCompletionChunk,
} from "../src/protocol/openai/chat-response-schema";
import { resolveRoute } from "../src/router/resolve-route";
import { validateMessageCreate } from "../src/server/validate-message-request";
import { encodeSseFrame } from "../src/sse/encode-sse";
import { convertAnthropicMessagesToOpenAI } from "../src/translate/convert-anthropic-messages-to-openai";
import { convertAnthropicRequestToOpenAIChat } from "../src/translate/convert-anthropic-request-to-openai-chat";
import { convertAnthropicToolsToOpenAI } from "../src/translate/convert-anthropic-tools-to-openai";
import { convertOpenAIChatCompletionToAnthropic } from "../src/translate/convert-openai-chat-completion-to-anthropic";
import { estimateInputTokens } from "../src/translate/estimate-input-tokens";
import { normalizeAnthropicRequest } from "../src/translate/normalize-anthropic-request";
import { OpenAIChatStreamConverter } from "../src/translate/openai-chat-stream-converter";
import { parseSse } from "../test/support/parse-sse";
import { BENCH_MODEL, buildLeanBackendReplies } from "./lean-backend-replies";

const { values } = parseArgs({ options: { iterations: { type: "string", default: "2000" } } });
const ITERATIONS = Number(values.iterations);
const WARMUP = Math.max(200, ITERATIONS / 4);

const config = Value.Default(ConfigSchema, { backends: [{ url: "http://127.0.0.1:8080" }] }) as typeof ConfigSchema.static;
const bodyText = await Bun.file(join(import.meta.dir, "../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json")).text();
const body = JSON.parse(bodyText) as MessageCreateParams;
const request = validateMessageCreate(body);
const normalized = normalizeAnthropicRequest(request, config.claudeCode).value;
const catalog = [{ backendId: "llamacpp-8080", models: [{ id: BENCH_MODEL, contextWindow: 131_072 }] }];
const backendRequest = { ...normalized, model: BENCH_MODEL };
const convertOptions = { thinkingStyle: "chat_template_kwargs" as const, stream: true };
const chat = convertAnthropicRequestToOpenAIChat(backendRequest, convertOptions).value;
const replies = buildLeanBackendReplies();
const streamBytes = new TextEncoder().encode(replies.stream);
const completion = JSON.parse(replies.completion) as ChatCompletion;
const conversionContext = { requestModel: request.model, messageId: "msg_0123456789abcdef01234567" };
const answer = convertOpenAIChatCompletionToAnthropic(completion, conversionContext).value;
const metrics = createMetrics();

const bodyBytes = new TextEncoder().encode(bodyText);
// What anyclaude really reads: turns of one conversation, each with a new user text (see prepare-overhead-requests.ts).
const turns = Array.from({ length: 256 }, (_, turn) => {
  const next = JSON.parse(bodyText) as { messages: Array<{ content: Array<{ type: string; text: string }> }> };
  next.messages[0]!.content.at(-1)!.text += ` (turn ${turn})`;
  return new TextEncoder().encode(JSON.stringify(next));
});
const memo = new ConversationMemo();
const parser = memo.parser;
let nextTurn = 0;
const reusedRequest = validateMessageCreate(parser.parse(turns[0]!), memo);
const reusedNormalized = { ...normalizeAnthropicRequest(reusedRequest, config.claudeCode, memo).value, model: BENCH_MODEL };
const reusedOptions = { ...convertOptions, memo };
const reusedChat = convertAnthropicRequestToOpenAIChat(reusedNormalized, reusedOptions).value;

const stages: Array<[string, () => unknown]> = [
  // Bun.serve builds the Request natively; building it here adds a little to this line.
  [
    "request: Request.text() of the 49 KB body",
    () => new Request("http://127.0.0.1/v1/messages", { method: "POST", body: bodyBytes }).text(),
  ],
  ["request: JSON.parse of the 49 KB body (for reference)", () => JSON.parse(bodyText)],
  ["request: ReusingJsonParser.parse of a new turn (what anyclaude does)", () => parser.parse(turns[nextTurn++ % turns.length]!)],
  ["request: validateMessageCreate (TypeBox)", () => validateMessageCreate(body)],
  ["request: normalizeAnthropicRequest", () => normalizeAnthropicRequest(request, config.claudeCode)],
  ["request: estimateInputTokens (1x; 2x when streaming)", () => estimateInputTokens(normalized)],
  ["request: resolveRoute", () => resolveRoute({ request: normalized, estimatedTokens: 12_000 }, config, catalog)],
  [
    "request: convertAnthropicRequestToOpenAIChat, fresh parts (for reference)",
    () => convertAnthropicRequestToOpenAIChat(backendRequest, convertOptions),
  ],
  [
    "request: convertAnthropicRequestToOpenAIChat, resent parts shared (what anyclaude does)",
    () => convertAnthropicRequestToOpenAIChat(reusedNormalized, reusedOptions),
  ],
  ["  of which messages + system, fresh", () => convertAnthropicMessagesToOpenAI(backendRequest.system, backendRequest.messages)],
  ["  of which tools (adaptToolSchema), fresh", () => convertAnthropicToolsToOpenAI(backendRequest.tools ?? [])],
  ["request: JSON.stringify of the OpenAI body (for reference)", () => JSON.stringify(chat)],
  ["request: stringifyReusingFrozen of the OpenAI body (what anyclaude does)", () => stringifyReusingFrozen(reusedChat, memo)],
  ["answer (JSON): parse + check + convert", () => convertCompletion(replies.completion)],
  ["answer (JSON): JSON.stringify for Response.json", () => JSON.stringify(answer)],
  ["answer (stream): SSE parse + check + convert + encode, whole stream", () => convertStream()],
  ["metrics: 2 counters + 1 histogram", () => recordMetrics()],
];

process.stdout.write(`Bun ${Bun.version}; ${ITERATIONS} timed iterations per stage after ${WARMUP} warm-up; median of 20 batches.\n\n`);
process.stdout.write(`| stage | µs per request |\n|---|---|\n`);
let requestTotal = 0;
for (const [name, run] of stages) {
  const micros = await timeStage(run);
  if (name.startsWith("request:") && !name.includes("(for reference)")) requestTotal += micros;
  process.stdout.write(`| ${name} | ${micros.toFixed(1)} |\n`);
}
process.stdout.write(
  `\nRequest side total, what anyclaude does (estimate counted once, reference rows and "of which" rows left out): ${requestTotal.toFixed(1)} µs.\n`,
);

function convertCompletion(text: string) {
  const parsed = parseBackendJson("bench", text);
  if (!checkChatCompletion.Check(parsed)) throw new Error("completion does not match the schema");
  return convertOpenAIChatCompletionToAnthropic(parsed, conversionContext);
}

async function convertStream(): Promise<number> {
  const converter = new OpenAIChatStreamConverter({ ...conversionContext, inputTokensEstimate: 12_000 });
  let bytes = 0;
  for await (const frame of parseSse(single(streamBytes))) {
    if (frame.data === "[DONE]") break;
    const chunk = parseBackendJson("bench", frame.data, "stream chunk");
    if (!checkChatCompletionChunk.Check(chunk)) throw new Error("chunk does not match the schema");
    for (const event of converter.push(chunk as ChatCompletionChunk)) bytes += encodeSseFrame(event).byteLength;
  }
  for (const event of converter.finish()) bytes += encodeSseFrame(event).byteLength;
  return bytes;
}

async function* single(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function recordMetrics(): void {
  metrics.requests.inc({ endpoint: "messages", status: "200", backend: "llamacpp-8080", stream: "true" });
  metrics.translationWarnings.inc({ code: "dropped-field" });
  metrics.requestSeconds.observe({ endpoint: "messages", stream: "true" }, 0.001);
}

/**
 * Median over 20 batches of the mean time per call, in µs: robust to a GC pause in one batch.
 * Stages that return a promise are awaited; the others are not, so no await is timed with them.
 */
async function timeStage(run: () => unknown): Promise<number> {
  const first = run();
  const isAsync = first instanceof Promise;
  await first;
  const runBatch = async (count: number) => {
    if (isAsync) for (let i = 0; i < count; i++) await run();
    else for (let i = 0; i < count; i++) run();
  };
  await runBatch(WARMUP);
  const batch = Math.max(1, Math.floor(ITERATIONS / 20));
  const means: number[] = [];
  for (let b = 0; b < 20; b++) {
    const started = performance.now();
    await runBatch(batch);
    means.push(((performance.now() - started) * 1000) / batch);
  }
  return median(means);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
