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
export function buildLeanBackendReplies(): { completion: string; stream: string } {
  const context = { model: BENCH_MODEL };
  const chunks = llamaServerChunks({ ...REPLY, pieces: 3 }, context);
  return {
    completion: JSON.stringify(llamaServerCompletion(REPLY, context)),
    stream: `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("")}data: [DONE]\n\n`,
  };
}
