/**
 * The usage an answer reports to a client that believes in a larger window than the target's:
 * its input counts scaled, so that the client's own auto-compaction (Claude Code's fires near
 * the window it believes in) fires as the conversation reaches the target's real budget.
 */
import type { Message } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";

const INPUT_COUNTS = ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] as const;
type InputCounts = { [K in (typeof INPUT_COUNTS)[number]]?: number | null };

/**
 * The input the client should read: the whole conversation it sent (before any trim), as large
 * a share of its believed window as that conversation is of the target's input budget.
 * Undefined when the client window is not set.
 *
 * @example
 * computeReportedInput(1_000_000, { budgetTokens: 24_576, tokensBefore: 12_288 }); // => 500_000
 */
export function computeReportedInput(
  clientWindow: number | undefined,
  fit: { budgetTokens: number; tokensBefore: number },
): number | undefined {
  if (clientWindow === undefined) return undefined;
  return Math.round((fit.tokensBefore / fit.budgetTokens) * clientWindow);
}

/**
 * Sets the input counts (uncached, cache writes, cache reads) of a whole message or of a stream
 * event that carries usage (message_start, message_delta) so that they add up to `reportedInput`,
 * each keeping its share; output tokens stay as they are, and so do other events.
 *
 * @example
 * scaleReportedUsage({ type: "message_delta", delta, usage: { output_tokens: 7, input_tokens: 100, cache_read_input_tokens: 300 } }, 4_000);
 * // usage: { output_tokens: 7, input_tokens: 1_000, cache_read_input_tokens: 3_000 }
 */
export function scaleReportedUsage<T extends MessageStreamEvent | Message>(answer: T, reportedInput: number): T {
  if (answer.type === "message") return { ...answer, usage: scaleCounts(answer.usage, reportedInput) };
  if (answer.type === "message_start")
    return { ...answer, message: { ...answer.message, usage: scaleCounts(answer.message.usage, reportedInput) } };
  if (answer.type === "message_delta") return { ...answer, usage: scaleCounts(answer.usage, reportedInput) };
  return answer;
}

function scaleCounts<U extends InputCounts>(usage: U, reportedInput: number): U {
  let total = 0;
  for (const key of INPUT_COUNTS) total += usage[key] ?? 0;
  // A delta with output tokens only leaves the input where message_start put it.
  if (total === 0 && usage.input_tokens == null) return usage;
  const scaled = { ...usage };
  if (total === 0) scaled.input_tokens = reportedInput;
  else for (const key of INPUT_COUNTS) if (typeof usage[key] === "number") scaled[key] = Math.round((usage[key] * reportedInput) / total);
  return scaled;
}
