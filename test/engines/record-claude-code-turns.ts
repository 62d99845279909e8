/**
 * A loopback pass-through in front of anyclaude that keeps every /v1/messages body the real
 * Claude Code sent and, given the llama-server behind it, the prompt work the engine did for
 * each (the answer is read whole before it is passed on, so the counters have settled). Plus the
 * helpers the Claude Code tests read those bodies with.
 */
import type { ContentBlockParam, MessageCreateParams, MessageParam } from "../../src/protocol/anthropic/messages";
import { measurePromptWork, type PromptWork } from "./read-llama-server-metrics";

export interface RecordedTurn {
  body: MessageCreateParams;
  /** Only with `llamaServerUrl`. */
  work?: PromptWork;
}

/**
 * @example
 * const recorder = recordClaudeCodeTurns(proxy.url, { llamaServerUrl: engine.url });
 * await runClaudeCode({ baseUrl: recorder.url, prompt: "say hi", timeoutMs });
 * recorder.turns[1]!.work!.evaluatedShare; // small: turn 2 reused turn 1's prompt
 * recorder.stop();
 */
export function recordClaudeCodeTurns(
  target: string,
  options: {
    llamaServerUrl?: string;
    /** What is sent on instead of each /v1/messages body (the turn keeps the rewritten one). */
    rewrite?: (body: MessageCreateParams) => MessageCreateParams;
  } = {},
) {
  const turns: RecordedTurn[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      let body = request.method === "POST" ? await request.text() : undefined;
      const headers = new Headers(request.headers);
      headers.delete("host");
      headers.delete("content-length");
      const forward = () => fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body });
      if (url.pathname !== "/v1/messages" || !body) return forward();
      const turn: RecordedTurn = { body: JSON.parse(body) as MessageCreateParams };
      if (options.rewrite) {
        turn.body = options.rewrite(turn.body);
        body = JSON.stringify(turn.body);
      }
      turns.push(turn);
      if (options.llamaServerUrl === undefined) return forward();
      const { result, work } = await measurePromptWork(options.llamaServerUrl, async () => {
        const response = await forward();
        return { response, text: await response.text() };
      });
      turn.work = work;
      return new Response(result.text, { status: result.response.status, headers: result.response.headers });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, turns, stop: () => server.stop(true) };
}

/**
 * @example
 * findBlock(turns[1]!.body.messages, "assistant", "tool_use"); // the model's Bash call
 */
export function findBlock(
  messages: MessageParam[],
  role: MessageParam["role"],
  type: ContentBlockParam["type"],
): ContentBlockParam | undefined {
  for (const message of messages) {
    if (message.role !== role || typeof message.content === "string") continue;
    const block = message.content.find((candidate) => candidate.type === type);
    if (block) return block;
  }
  return undefined;
}

/**
 * @example
 * readToolResultText(findBlock(messages, "user", "tool_result")); // "hi"
 */
export function readToolResultText(block: ContentBlockParam | undefined): string | undefined {
  if (block?.type !== "tool_result") return undefined;
  const content = block.content;
  if (typeof content === "string") return content.trim();
  return content
    ?.map((part) => (part.type === "text" ? part.text : ""))
    .join("")
    .trim();
}
