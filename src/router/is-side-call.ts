/**
 * Whether a request is one of Claude Code's side calls rather than a turn of its main
 * conversation: each side call has a prompt of its own, so on an engine slot shared with the
 * main conversation it would evict that conversation's cached prompt.
 */
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import { isBackgroundRequest } from "./resolve-route";

/** Claude Code 2.1.x marks its subagents' requests in the billing line (`cc_is_subagent=true;`). */
const SUBAGENT_BILLING_LINE = /^[ \t]*x-anthropic-billing-header:[^\n]*\bcc_is_subagent=true\b/i;

/**
 * A side call is a request to the small-fast model (haiku), a call without tools (session
 * titles, the Bash command-prefix check, topic detection), one asking for a JSON answer, or a
 * subagent's turn. Reads the billing line, so give it the request as the client sent it, before
 * normalization strips that line. Claude Code's own compaction request offers the main tools
 * and keeps the main system prompt: it is no side call, and reuses the main conversation's cache.
 *
 * @example
 * isSideCall({ model: "claude-opus-5-5", tools: [] }); // => true: a title or a prefix check
 * isSideCall({ model: "claude-opus-5-5", tools: [bash], system: [{ type: "text", text: "x-anthropic-billing-header: cc_version=2.1.332.ea8; cc_is_subagent=true;" }] }); // => true
 */
export function isSideCall(request: Pick<MessageCreateParams, "model" | "system" | "tools" | "output_config">): boolean {
  if (isBackgroundRequest(request) || (request.tools ?? []).length === 0) return true;
  const system = request.system;
  const first = typeof system === "string" ? system : system?.[0]?.text;
  return first !== undefined && SUBAGENT_BILLING_LINE.test(first);
}
