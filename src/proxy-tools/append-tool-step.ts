/**
 * One turn of the proxy-run tool loop written into the conversation: the model's answer as an
 * assistant turn, and what the proxy's tools returned as the user turn of tool results that
 * follows it, so the model can be asked again.
 */
import type { ContentBlockParam, Message, MessageCreateParams, ToolResultBlockParam, Usage } from "../protocol/anthropic/messages";
import type { ProxyTool, ProxyToolOutput } from "./proxy-tool";

/** A call of a proxy-run tool in the model's answer; `id` is the model's tool_use id, kept in the blocks the client sees. */
export interface ProxyToolCall {
  id: string;
  tool: ProxyTool;
  input: unknown;
}

/**
 * `tool_choice` `any` or `tool` asked for a call, which the model made: the next step may answer
 * in text (`auto`), or the loop could never end.
 *
 * @example
 * appendToolStep(request, answer, [{ id: "toolu_1", tool, input }], [textOutput("42")]);
 * // => request with messages […, assistant (answer.content), user [tool_result toolu_1 "42"]]
 */
export function appendToolStep(
  request: MessageCreateParams,
  answer: Message,
  calls: readonly ProxyToolCall[],
  outputs: readonly ProxyToolOutput[],
): MessageCreateParams {
  const results = calls.map(
    (call, index): ToolResultBlockParam => ({
      type: "tool_result",
      tool_use_id: call.id,
      content: outputs[index]!.content,
      ...(outputs[index]!.isError ? { is_error: true } : {}),
    }),
  );
  const next: MessageCreateParams = {
    ...request,
    messages: [
      ...request.messages,
      { role: "assistant", content: answer.content as ContentBlockParam[] },
      { role: "user", content: results },
    ],
  };
  const choice = request.tool_choice;
  if (choice?.type === "any" || choice?.type === "tool") {
    next.tool_choice = {
      type: "auto",
      ...(choice.disable_parallel_tool_use === undefined ? {} : { disable_parallel_tool_use: choice.disable_parallel_tool_use }),
    };
  }
  return next;
}

/** The calls in an answer that the proxy runs, and whether the client's own tools were called too. */
export function findProxyToolCalls(
  answer: Message,
  tools: ReadonlyMap<string, ProxyTool>,
): { calls: ProxyToolCall[]; clientCalls: number } {
  const calls: ProxyToolCall[] = [];
  let clientCalls = 0;
  for (const block of answer.content) {
    if (block.type !== "tool_use") continue;
    const tool = tools.get(block.name);
    if (tool) calls.push({ id: block.id, tool, input: block.input });
    else clientCalls++;
  }
  return { calls, clientCalls };
}

/** The loop's usage is what all its model calls used together. */
export function addUsage(total: Usage, step: Usage): Usage {
  return {
    input_tokens: total.input_tokens + step.input_tokens,
    output_tokens: total.output_tokens + step.output_tokens,
    cache_creation_input_tokens: addCounts(total.cache_creation_input_tokens, step.cache_creation_input_tokens),
    cache_read_input_tokens: addCounts(total.cache_read_input_tokens, step.cache_read_input_tokens),
    ...(total.server_tool_use || step.server_tool_use
      ? {
          server_tool_use: {
            web_search_requests: (total.server_tool_use?.web_search_requests ?? 0) + (step.server_tool_use?.web_search_requests ?? 0),
          },
        }
      : {}),
  };
}

function addCounts(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}
