/**
 * Removes the `x-anthropic-billing-header: …` line that Claude Code puts first in its system
 * prompt. It differs between sessions and between a session's main and side requests, so a
 * backend that caches prompts by prefix (llama.cpp's KV cache, vLLM's prefix cache) would
 * otherwise re-evaluate the whole prompt on each new session's first turn.
 */
import type { TextBlockParam } from "../protocol/anthropic/messages";

type SystemPrompt = string | TextBlockParam[] | undefined;

export interface StrippedSystemPrompt {
  /** The system prompt without the header; `undefined` when nothing else was left. */
  value: SystemPrompt;
  removed: boolean;
}

// Only the start of the prompt is looked at: that is where Claude Code puts the header, and a
// prompt that merely quotes it further down (documentation, a test) stays intact.
// Older releases glued the prompt right after the last `key=value;` pair (llama.cpp's server
// documents `…cch=a5145;You are Claude Code…`), so the pairs are matched one by one first; a
// header of any other shape loses its whole line.
const BILLING_HEADER_PAIRS = /^[ \t]*x-anthropic-billing-header:(?:[ \t]*[\w.-]+=[^;\n]*;)+[ \t]*(?:\r?\n)?/i;
const BILLING_HEADER_LINE = /^[ \t]*x-anthropic-billing-header:[^\n]*(?:\n|$)/i;

/**
 * Strips the billing header from a system prompt given as a string or as text blocks. When
 * the header is a whole block, the block goes; when it is the first line of a longer text,
 * only that line goes. The input is never mutated.
 *
 * @example
 * stripBillingHeader([
 *   { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.332.0b8; cc_entrypoint=sdk-cli;" },
 *   { type: "text", text: "You are Claude Code." },
 * ]);
 * // => { value: [{ type: "text", text: "You are Claude Code." }], removed: true }
 */
export function stripBillingHeader(system: SystemPrompt): StrippedSystemPrompt {
  if (system === undefined) return { value: undefined, removed: false };
  if (typeof system === "string") {
    const rest = removeHeaderLine(system);
    if (rest === undefined) return { value: system, removed: false };
    return { value: rest === "" ? undefined : rest, removed: true };
  }
  // Skip leading empty blocks: they carry nothing and must not hide the header.
  const first = system.findIndex((block) => block.type === "text" && block.text.trim() !== "");
  const block = system[first];
  if (block === undefined) return { value: system, removed: false };
  const rest = removeHeaderLine(block.text);
  if (rest === undefined) return { value: system, removed: false };
  const blocks = system.slice();
  if (rest.trim() === "") blocks.splice(first, 1);
  else blocks[first] = { ...block, text: rest };
  return { value: blocks.length === 0 ? undefined : blocks, removed: true };
}

/** The text without its leading header line, or `undefined` when it has none. */
function removeHeaderLine(text: string): string | undefined {
  const match = BILLING_HEADER_PAIRS.exec(text) ?? BILLING_HEADER_LINE.exec(text);
  return match === null ? undefined : text.slice(match[0].length);
}
