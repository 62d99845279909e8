/**
 * The words the user typed in the request's last turn, for proactive search to read: the last
 * message (`role: system` ones after it aside, which Claude Code appends) when it is the user's and carries text (not a turn of tool results, which answers the
 * model rather than asks anything), without what Claude Code adds around the user's words
 * (`<system-reminder>` blocks, slash-command echoes) and without code, which states no question.
 */
import type { MessageCreateParams } from "../protocol/anthropic/messages";

/** Claude Code's wrappers whose contents the user did not type. */
const NOISE = /<(system-reminder|command-name|command-message|command-args|local-command-stdout|local-command-stderr)>[\s\S]*?<\/\1>/g;
const FENCED_CODE = /```[\s\S]*?(```|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;

/**
 * Undefined when the last turn is not a question the user typed.
 *
 * @example
 * readLastUserQuestion({ …, messages: [{ role: "user", content: "<system-reminder>…</system-reminder>What is the latest Node LTS?" }] });
 * // => "What is the latest Node LTS?"
 */
export function readLastUserQuestion(request: Pick<MessageCreateParams, "messages">): string | undefined {
  const last = request.messages.findLast((message) => message.role !== "system");
  if (last?.role !== "user") return undefined;
  const blocks = typeof last.content === "string" ? [{ type: "text", text: last.content }] : last.content;
  if (blocks.some((block) => block.type === "tool_result")) return undefined;
  const text = blocks
    .flatMap((block) => (block.type === "text" && typeof block.text === "string" ? [block.text] : []))
    .join("\n")
    .replace(NOISE, " ")
    .replace(FENCED_CODE, " ")
    .replace(INLINE_CODE, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text === "" ? undefined : text;
}
