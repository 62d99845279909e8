/**
 * The answers of a benchmark's engine that calls a tool and then answers: each as a chat
 * completion and as llama-server's SSE stream ending in `[DONE]`, built once, as text.
 */
import { type LlamaServerReply, llamaServerChunks, llamaServerCompletion } from "../test/support/fake-openai-chunks";
import { formatSseItem } from "../test/support/fake-reply";

type Reply = Omit<LlamaServerReply, "usage">;
type Bodies = { call: string; text: string };

const USAGE = { promptTokens: 50, completionTokens: 5 };

/**
 * @example
 * const replies = buildToolCallingReplies({ toolCalls: [{ name: "web_search", args: { query: "bun" } }] }, { text: "Done." });
 * new Response(replies.stream.call, { headers: { "content-type": "text/event-stream" } });
 */
export function buildToolCallingReplies(call: Reply, text: Reply): { stream: Bodies; json: Bodies } {
  const sse = (reply: Reply) =>
    `${llamaServerChunks({ ...reply, usage: USAGE })
      .map((data) => formatSseItem({ data }))
      .join("")}data: [DONE]\n\n`;
  const json = (reply: Reply) => JSON.stringify(llamaServerCompletion({ ...reply, usage: USAGE }));
  return { stream: { call: sse(call), text: sse(text) }, json: { call: json(call), text: json(text) } };
}
