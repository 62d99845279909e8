/**
 * The one re-ask for a whole (JSON) answer whose tool call failed its schema, in either backend
 * mode: the model is asked again with the validator's message, and the two answers become one
 * message; when the re-ask cannot be made, the held calls go out as they are, counted as invalid
 * (docs/decisions/0021-tool-call-checks.md).
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import { describeInvalidCall, type InvalidToolCall } from "../tool-calls/build-reask-request";
import type { CallOptions } from "./backend";

/** An answer's calls held back because they failed their schema, and the answer's text before them. */
export interface HeldToolCalls {
  text: string;
  calls: readonly InvalidToolCall[];
}

/**
 * @example
 * const message = await completeWithReask(first.value, first.invalid, (held) => askAgain(buildReaskRequest(request, held)), options);
 */
export async function completeWithReask(
  first: Message,
  held: HeldToolCalls,
  reask: (held: HeldToolCalls) => Promise<Message>,
  options: CallOptions,
): Promise<Message> {
  if (held.calls.length === 0) return first;
  reportReask(held.calls, options);
  let second: Message;
  try {
    second = await reask(held);
  } catch (error) {
    if (options.signal.aborted) throw error;
    reportReaskFailure(error, options);
    const content = [...first.content, ...passInvalidCalls(held.calls, options)];
    return { ...first, content, stop_reason: "tool_use" };
  }
  const content = [...first.content, ...second.content];
  const usage = { ...first.usage, output_tokens: first.usage.output_tokens + second.usage.output_tokens };
  const stopReason = content.some((block) => block.type === "tool_use") ? "tool_use" : second.stop_reason;
  return { ...first, content, usage, stop_reason: stopReason, stop_sequence: second.stop_sequence };
}

/**
 * Counts one re-ask per held call (`reasked` in /metrics).
 *
 * @example reportReask(held.calls, options);
 */
export function reportReask(calls: readonly InvalidToolCall[], options: CallOptions): void {
  for (const call of calls) {
    options.onWarning({ code: "reasked-tool-call", path: "tool_calls", message: `asked the model again: ${describeInvalidCall(call)}` });
  }
}

/**
 * A re-ask that could not be made is a warning: the answer still goes out.
 *
 * @example reportReaskFailure(error, options);
 */
export function reportReaskFailure(error: unknown, options: CallOptions): void {
  options.onWarning({ code: "reask-failed", path: "tool_calls", message: `the re-ask failed: ${(error as Error).message}` });
}

/** The held calls as they are, each counted as invalid. */
function passInvalidCalls(calls: readonly InvalidToolCall[], options: CallOptions): ContentBlock[] {
  return calls.map((call) => {
    options.onWarning({ code: "invalid-tool-input", path: "tool_calls", message: `${call.name}: ${call.problems.join("; ")}` });
    return { type: "tool_use" as const, id: call.id, name: call.name, input: call.input };
  });
}
