/**
 * Builders for llama-server-shaped chat-completion chunks and bodies. Shapes as observed from
 * llama-server and read in its source (tools/server/server-task.cpp, llama.cpp commit 80fb11a):
 * a first `{role:"assistant", content:null}` delta, one delta per token diff
 * (`reasoning_content`, `content`, or one `tool_calls` entry whose first piece carries id, type
 * and name), a final `delta:{}` chunk with the finish reason, then, when `include_usage` was asked,
 * a `choices:[]` chunk with `usage` and llama-server's `timings` (`cache_n`: prompt tokens reused
 * from the KV cache).
 */
import { splitIntoPieces } from "./split-into-pieces";

export interface ChunkContext {
  id?: string;
  model?: string;
}

export interface FakeUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the KV cache (llama-server `cache_n`). */
  cachedTokens?: number;
}

interface FakeToolCall {
  name: string;
  /** An object is JSON-encoded; a string is streamed as is (use it for broken arguments). */
  args: unknown;
  id?: string;
}

export interface LlamaServerReply {
  reasoning?: string;
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Defaults to "tool_calls" when there are tool calls, else "stop". */
  finishReason?: string;
  /** Omit to end without a usage chunk, as when the request did not ask for include_usage. */
  usage?: FakeUsage;
  pieces?: number;
}

const CREATED = 1767225600;

/** @example chunk({ content: "Hi" }) */
export function chunk(delta: Record<string, unknown>, finishReason: string | null = null, context: ChunkContext = {}) {
  return { choices: [{ finish_reason: finishReason, index: 0, delta }], ...envelope(context) };
}

/** @example roleChunk() // delta { role: "assistant", content: null } */
export function roleChunk(context: ChunkContext = {}) {
  return chunk({ role: "assistant", content: null }, null, context);
}

/** @example textChunks("Hello there", 2) // two chunks with delta.content */
export function textChunks(text: string, pieces = 3, context: ChunkContext = {}) {
  return splitIntoPieces(text, pieces).map((content) => chunk({ content }, null, context));
}

/** @example reasoningChunks("Let me think", 2) // two chunks with delta.reasoning_content */
export function reasoningChunks(text: string, pieces = 3, context: ChunkContext = {}) {
  return splitIntoPieces(text, pieces).map((reasoning_content) => chunk({ reasoning_content }, null, context));
}

/** @example toolCallChunks("Bash", { command: "ls" }, 3, { index: 0, id: "call_1" }) */
export function toolCallChunks(name: string, args: unknown, pieces = 3, options: { index?: number; id?: string } & ChunkContext = {}) {
  const index = options.index ?? 0;
  const head = { index, id: options.id ?? fakeToolCallId(name, index), type: "function", function: { name } };
  const argumentPieces = splitIntoPieces(encodeArguments(args), pieces);
  return [
    chunk({ tool_calls: [head] }, null, options),
    ...argumentPieces.map((piece) => chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null, options)),
  ];
}

/** @example finishChunk("tool_calls") */
export function finishChunk(finishReason: string, context: ChunkContext = {}) {
  return chunk({}, finishReason, context);
}

/** @example usageChunk({ promptTokens: 120, completionTokens: 8, cachedTokens: 100 }) */
export function usageChunk(usage: FakeUsage, context: ChunkContext = {}) {
  return { choices: [], ...envelope(context), usage: openAIUsage(usage), timings: llamaTimings(usage) };
}

/**
 * A whole llama-server stream, in the order llama-server sends it.
 *
 * @example
 * openAIStream(llamaServerChunks({ text: "Done.", usage: { promptTokens: 10, completionTokens: 2 } }))
 */
export function llamaServerChunks(reply: LlamaServerReply, context: ChunkContext = {}) {
  const pieces = reply.pieces ?? 3;
  const toolCalls = reply.toolCalls ?? [];
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop");
  const chunks: object[] = [
    roleChunk(context),
    ...reasoningChunks(reply.reasoning ?? "", pieces, context),
    ...textChunks(reply.text ?? "", pieces, context),
    ...toolCalls.flatMap((call, index) => toolCallChunks(call.name, call.args, pieces, { ...context, index, id: call.id })),
    finishChunk(finishReason, context),
  ];
  if (reply.usage) chunks.push(usageChunk(reply.usage, context));
  return chunks;
}

/**
 * The non-streaming body llama-server answers with (`object: "chat.completion"`).
 *
 * @example
 * openAIJson(llamaServerCompletion({ text: "Hi", usage: { promptTokens: 5, completionTokens: 1 } }))
 */
export function llamaServerCompletion(reply: Omit<LlamaServerReply, "pieces">, context: ChunkContext = {}) {
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    type: "function",
    function: { name: call.name, arguments: encodeArguments(call.args) },
    id: call.id ?? fakeToolCallId(call.name, index),
  }));
  // llama-server writes "" (not null) for an empty content and leaves out empty reasoning.
  const message: Record<string, unknown> = { role: "assistant", content: reply.text ?? "" };
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const usage = reply.usage ?? { promptTokens: 0, completionTokens: 0 };
  return {
    choices: [{ finish_reason: reply.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"), index: 0, message }],
    created: CREATED,
    model: context.model ?? "qwen3-coder-30b-a3b",
    system_fingerprint: "b8000-80fb11ac",
    object: "chat.completion",
    usage: openAIUsage(usage),
    id: context.id ?? "chatcmpl-fake0000000000000000000000000000",
    timings: llamaTimings(usage),
  };
}

function envelope(context: ChunkContext) {
  return {
    created: CREATED,
    id: context.id ?? "chatcmpl-fake0000000000000000000000000000",
    model: context.model ?? "qwen3-coder-30b-a3b",
    system_fingerprint: "b8000-80fb11ac",
    object: "chat.completion.chunk",
  };
}

function openAIUsage(usage: FakeUsage) {
  return {
    completion_tokens: usage.completionTokens,
    prompt_tokens: usage.promptTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
  };
}

function llamaTimings(usage: FakeUsage) {
  const cached = usage.cachedTokens ?? 0;
  const processed = usage.promptTokens - cached;
  return {
    cache_n: cached,
    prompt_n: processed,
    prompt_ms: processed * 2,
    prompt_per_token_ms: 2,
    prompt_per_second: 500,
    predicted_n: usage.completionTokens,
    predicted_ms: usage.completionTokens * 20,
    predicted_per_token_ms: 20,
    predicted_per_second: 50,
  };
}

function encodeArguments(args: unknown): string {
  return typeof args === "string" ? args : JSON.stringify(args);
}

/** llama-server ids are 32 random alphanumerics; a fake keeps the length but stays reproducible. */
function fakeToolCallId(name: string, index: number): string {
  return `${name}${index}`
    .replace(/[^A-Za-z0-9]/g, "")
    .padEnd(32, "0")
    .slice(0, 32);
}
