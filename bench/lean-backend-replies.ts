/**
 * The answers of the benchmark's backend, in llama-server's shapes: one short reply as a chat
 * completion and as an SSE stream of a few chunks ending in `[DONE]`. Built once, as text.
 */
import { llamaServerChunks, llamaServerCompletion } from "../test/support/fake-openai-chunks";

export const BENCH_MODEL = "bench-model";

const REPLY = { text: "Hi! How can I help you today?", usage: { promptTokens: 12_000, completionTokens: 9, cachedTokens: 11_900 } };

/**
 * @example
 * const { completion, stream } = buildLeanBackendReplies();
 * new Response(stream, { headers: { "content-type": "text/event-stream" } });
 */
export function buildLeanBackendReplies(usage: typeof REPLY.usage = REPLY.usage): { completion: string; stream: string } {
  const context = { model: BENCH_MODEL };
  const reply = { ...REPLY, usage };
  const chunks = llamaServerChunks({ ...reply, pieces: 3 }, context);
  return {
    completion: JSON.stringify(llamaServerCompletion(reply, context)),
    stream: `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("")}data: [DONE]\n\n`,
  };
}

/** Stand-ins for the prompt's token counts in replies built once, replaced per request (see sizeReply). */
const PROMPT_MARK = 900_000_001;
const CACHED_MARK = 900_000_002;

/**
 * The replies with usage to be filled in per request by sizeReply: an engine reports the prompt it
 * read, and anyclaude warns when that is far below its own count (an engine that cut the prompt).
 *
 * @example
 * const sizable = buildSizableLeanBackendReplies();
 * sizeReply(sizable.completion, body.length); // the completion, reporting about body.length / 4 prompt tokens
 */
export function buildSizableLeanBackendReplies(): { completion: string; stream: string } {
  return buildLeanBackendReplies({ promptTokens: PROMPT_MARK, completionTokens: 9, cachedTokens: CACHED_MARK });
}

/** About a token per four bytes of the request, nearly all of it from the engine's prompt cache. */
export function sizeReply(reply: string, requestBytes: number): string {
  const prompt = Math.max(200, Math.ceil(requestBytes / 4));
  return reply.replace(String(PROMPT_MARK), String(prompt)).replace(String(CACHED_MARK), String(prompt - 100));
}
