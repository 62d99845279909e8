/**
 * Shortens an oversized tool result (a 40k-token file read, a huge `ls -R`) to its head and tail,
 * with a line in the middle saying how much was left out and how to read it: the model can ask
 * again for the part it needs instead of working from a silently truncated text.
 */
import type { ToolResultBlockParam, ToolUseBlockParam } from "../protocol/anthropic/messages";

/** Share of the kept characters that goes to the head; the tail gets the rest. */
const HEAD_SHARE = 0.6;

/**
 * The block with every text longer than `keepChars` cut down to about `keepChars`, or the
 * same block when none is. `call` is the tool_use it answers, for the hint on reading the rest.
 *
 * @example
 * shortenToolResult({ type: "tool_result", tool_use_id: "t1", content: hugeListing }, 2000, lsCall);
 * // => { type: "tool_result", tool_use_id: "t1", content: "<head>\n[anyclaude: 9412 lines … left out …]\n<tail>" }
 */
export function shortenToolResult(
  block: ToolResultBlockParam,
  keepChars: number,
  call: ToolUseBlockParam | undefined,
): ToolResultBlockParam {
  if (typeof block.content === "string") {
    return block.content.length > keepChars ? { ...block, content: shortenText(block.content, keepChars, call) } : block;
  }
  if (block.content === undefined || !block.content.some((part) => part.type === "text" && part.text.length > keepChars)) return block;
  const content = block.content.map((part) =>
    part.type === "text" && part.text.length > keepChars ? { ...part, text: shortenText(part.text, keepChars, call) } : part,
  );
  return { ...block, content };
}

function shortenText(text: string, keepChars: number, call: ToolUseBlockParam | undefined): string {
  const headEnd = lineStartAtOrBefore(text, Math.floor(keepChars * HEAD_SHARE));
  const tailStart = Math.max(headEnd, lineStartAtOrAfter(text, text.length - Math.floor(keepChars * (1 - HEAD_SHARE))));
  const omitted = text.slice(headEnd, tailStart);
  const lines = countLines(omitted);
  const marker = `[anyclaude: ${lines} lines (${omitted.length} characters) left out here to fit the context window; ${describeHowToReadRest(call, omitted, lines)}]`;
  return `${text.slice(0, headEnd)}${marker}\n${text.slice(tailStart)}`;
}

function describeHowToReadRest(call: ToolUseBlockParam | undefined, omitted: string, lines: number): string {
  const input = (call?.input ?? {}) as Record<string, unknown>;
  if (call?.name === "Read" && typeof input.file_path === "string") {
    // Read numbers its lines ("   120→text"): the first omitted line's number is the offset to ask for.
    const first = /^\s*(\d+)[→\t]/.exec(omitted)?.[1];
    const offset = first === undefined ? "" : ` offset ${first}`;
    return `to see them, Read ${input.file_path} again with${offset} limit ${lines}`;
  }
  if (call?.name === "Bash") return "to see them, run the command again with its output narrowed (grep, head, tail, sed -n)";
  return "to see them, repeat the call asking for a narrower part";
}

function lineStartAtOrBefore(text: string, index: number): number {
  const newline = text.lastIndexOf("\n", index - 1);
  // A text without line breaks near the cut is cut mid-line rather than kept whole.
  return newline < index / 2 ? keepPairWhole(text, index) : newline + 1;
}

function lineStartAtOrAfter(text: string, index: number): number {
  const newline = text.indexOf("\n", index);
  return newline === -1 || newline - index > (text.length - index) / 2 ? keepPairWhole(text, index) : newline + 1;
}

/** Never cuts between the two halves of a surrogate pair (an emoji, a rare CJK character). */
function keepPairWhole(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

function countLines(text: string): number {
  let lines = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}
