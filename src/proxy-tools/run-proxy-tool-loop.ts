/**
 * The proxy-run tool loop: when the model calls a tool anyclaude runs itself, anyclaude runs it
 * (independent calls in parallel), appends the result and asks the model again, until the model
 * answers without such a call, calls one of the client's tools, or the step limit is reached.
 * The answer shows the calls and results as Anthropic's API shows the tools it runs. The model
 * call is handed in; the first step's answer arrives already started, so only it can be retried.
 */
import type { Message, MessageCreateParams, StopReason } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { addUsage, appendToolStep, findProxyToolCalls } from "./append-tool-step";
import type { ProxyTool, ProxyToolOutput, ProxyToolSet } from "./proxy-tool";
import { ProxyToolLoopStream } from "./proxy-tool-loop-stream";

/** A model's answer as the backends start it: whole, or a stream whose first events arrived. */
export type ModelAnswer =
  | { kind: "message"; message: Message }
  | { kind: "stream"; first: MessageStreamEvent[]; rest: AsyncIterator<MessageStreamEvent[]> };

export interface ProxyToolLoopOptions {
  tools: ProxyToolSet;
  /** Asks the model again (steps after the first): same target, never retried, answers in the first step's form. */
  callModel(request: MessageCreateParams): Promise<ModelAnswer>;
  /** Runs one call; never throws (see executeProxyToolCall). */
  runCall(tool: ProxyTool, input: unknown): Promise<ProxyToolOutput>;
  /** Model calls at most; past it the answer ends with `pause_turn`, as Anthropic's does. */
  maxSteps: number;
  /** Once, when the loop ends however it ends: model calls made and tool calls run. */
  onEnd?(summary: ProxyToolLoopSummary): void;
}

export interface ProxyToolLoopSummary {
  steps: number;
  calls: number;
}

/**
 * @example
 * const first = await startAnswer(backend, request, options, stream);
 * const answer = await continueProxyToolLoop(first, request, { tools, callModel, runCall, maxSteps: 10 });
 */
export async function continueProxyToolLoop(
  first: ModelAnswer,
  request: MessageCreateParams,
  options: ProxyToolLoopOptions,
): Promise<ModelAnswer> {
  if (first.kind === "stream") return new ProxyToolLoopStream(request, options).start(first);
  return { kind: "message", message: await continueWithMessages(first.message, request, options) };
}

async function continueWithMessages(first: Message, request: MessageCreateParams, options: ProxyToolLoopOptions): Promise<Message> {
  const summary: ProxyToolLoopSummary = { steps: 1, calls: 0 };
  try {
    const content: Message["content"] = [];
    let usage = first.usage;
    let answer = first;
    let next = request;
    for (;;) {
      const { calls, clientCalls } = findProxyToolCalls(answer, options.tools);
      const byId = new Map(calls.map((call) => [call.id, call]));
      for (const block of answer.content) {
        const call = block.type === "tool_use" ? byId.get(block.id) : undefined;
        content.push(call ? call.tool.describeCall(call.id, call.input) : block);
      }
      const end = (stopReason: StopReason | null): Message => ({
        ...first,
        content,
        stop_reason: stopReason,
        stop_sequence: stopReason === answer.stop_reason ? answer.stop_sequence : null,
        usage,
      });
      if (calls.length === 0 || answer.stop_reason !== "tool_use") return end(answer.stop_reason);
      summary.calls += calls.length;
      const outputs = await Promise.all(calls.map((call) => options.runCall(call.tool, call.input)));
      for (const [index, call] of calls.entries()) content.push(call.tool.describeResult(call.id, outputs[index]!));
      if (clientCalls > 0) return end("tool_use");
      if (summary.steps >= options.maxSteps) return end("pause_turn");
      next = appendToolStep(next, answer, calls, outputs);
      const started = await options.callModel(next);
      if (started.kind !== "message") throw new Error("the tool loop asked for a whole message and got a stream");
      summary.steps++;
      answer = started.message;
      usage = addUsage(usage, answer.usage);
    }
  } finally {
    options.onEnd?.(summary);
  }
}
