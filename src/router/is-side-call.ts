/**
 * Whether a request is one of Claude Code's side calls rather than a turn of its main
 * conversation: each side call has a prompt of its own, so on an engine slot shared with the
 * main conversation it would evict that conversation's cached prompt.
 */
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import { isBackgroundRequest } from "./resolve-route";

/** Claude Code puts this line first in every request's system prompt; its subagents' say `cc_is_subagent=true;`. */
const BILLING_LINE = /^[ \t]*x-anthropic-billing-header:([^\n]*)/i;
const SUBAGENT = /\bcc_is_subagent=true\b/i;

/**
 * A side call is a request from Claude Code (it carries the billing line) to the small-fast
 * model (haiku), without tools (session titles, the Bash command-prefix check, topic
 * detection), asking for a JSON answer, or from a subagent. Other clients' requests never are.
 * Reads the billing line, so give it the request as the client sent it, before normalization
 * strips that line. Claude Code's own compaction request offers the main tools and keeps the
 * main system prompt: it is no side call, and reuses the main conversation's cache.
 *
 * @example
 * isSideCall(recordedTitleRequest); // => true: no tools, a JSON schema
 * isSideCall({ model: "claude-opus-5-5", tools: [bash], system: [{ type: "text", text: "x-anthropic-billing-header: cc_version=2.1.332.ea8; cc_is_subagent=true;" }] }); // => true
 * isSideCall({ model: "qwen3", tools: [], messages }); // => false: not from Claude Code
 */
export function isSideCall(request: Pick<MessageCreateParams, "model" | "system" | "tools" | "output_config">): boolean {
  const system = request.system;
  const first = typeof system === "string" ? system : system?.[0]?.text;
  const billing = first === undefined ? undefined : BILLING_LINE.exec(first)?.[1];
  if (billing === undefined) return false;
  return SUBAGENT.test(billing) || isBackgroundRequest(request) || (request.tools ?? []).length === 0;
}
