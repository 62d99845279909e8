/**
 * The marker that stands where trimmed turns were: what was left out and why, so the model does
 * not take the gap for the whole story. It quotes the user's last request among them, since
 * that is the instruction the remaining turns may still be carrying out.
 */
import type { MessageParam } from "../protocol/anthropic/messages";

const QUOTE_CHARS = 600;
const NAMED_TOOLS = 8;

/**
 * @example
 * describeLeftOutTurns(droppedMessages, 16_384);
 * // => "[anyclaude: 12 earlier messages (5 tool calls: Read ×3, Bash ×2) were left out here to fit the model's 16384-token context window. …]"
 */
export function describeLeftOutTurns(messages: readonly MessageParam[], window: number): string {
  const calls = new Map<string, number>();
  let request: string | undefined;
  for (const message of messages) {
    if (typeof message.content === "string") {
      if (message.role === "user") request = message.content;
      continue;
    }
    for (const block of message.content) {
      if (block.type === "tool_use") calls.set(block.name, (calls.get(block.name) ?? 0) + 1);
      else if (message.role === "user" && block.type === "text" && !block.text.startsWith("<system-reminder>")) request = block.text;
    }
  }
  const count = [...calls.values()].reduce((sum, n) => sum + n, 0);
  const named = [...calls].slice(0, NAMED_TOOLS).map(([name, n]) => `${name} ×${n}`);
  const tools =
    count === 0 ? "" : ` (${count} tool call${count === 1 ? "" : "s"}: ${named.join(", ")}${calls.size > NAMED_TOOLS ? ", …" : ""})`;
  const quote = request === undefined ? "" : ` The user's last request among them was: «${quoteShort(request.trim())}».`;
  return `[anyclaude: ${messages.length} earlier messages${tools} were left out here to fit the model's ${window}-token context window. Their tool results are no longer visible: repeat a call if you need one again.${quote}]`;
}

function quoteShort(text: string): string {
  if (text.length <= QUOTE_CHARS) return text;
  const half = Math.floor(QUOTE_CHARS / 2);
  // Never between the halves of a surrogate pair.
  const headEnd = /[\ud800-\udbff]/.test(text[half - 1]!) ? half - 1 : half;
  const tailStart = /[\udc00-\udfff]/.test(text[text.length - half]!) ? text.length - half + 1 : text.length - half;
  return `${text.slice(0, headEnd)} … ${text.slice(tailStart)}`;
}
