/**
 * Prompt-caching breakpoints for upstreams that honour Anthropic's `cache_control` (an
 * Anthropic-compatible gateway or Anthropic itself): a marker on the last system block caches
 * the system prompt and tools, one on the last user message caches the conversation so far.
 * Claude Code usually sets its own; this only fills in what is missing, within Anthropic's
 * limit of 4 breakpoints per request. The input is never mutated.
 */
import type { CacheControlPoint } from "../config/config-choices";
import type {
  CacheControlParam,
  ContentBlockParam,
  MessageCreateParams,
  MessageParam,
  TextBlockParam,
} from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "./translation-warning";

/** Anthropic rejects a request with more breakpoints than this. */
const MAX_CACHE_BREAKPOINTS = 4;

const EPHEMERAL: Readonly<CacheControlParam> = Object.freeze({ type: "ephemeral" });

/**
 * A point that would exceed the limit is skipped with a `cache-control-limit` warning.
 *
 * @example
 * injectAnthropicCacheControl({ model: "m", max_tokens: 9, system: "Be brief.", messages: [{ role: "user", content: "hi" }] }, ["system", "last_user_message"]).value;
 * // { …, system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
 * //   messages: [{ role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] }] }
 */
export function injectAnthropicCacheControl(
  request: MessageCreateParams,
  points: readonly CacheControlPoint[],
): Translated<MessageCreateParams> {
  const warnings: TranslationWarning[] = [];
  let value = request;
  let used = countBreakpoints(request);
  for (const point of points) {
    const marked = point === "system" ? markSystem(value) : markLastUserMessage(value);
    if (marked === undefined) continue;
    if (used >= MAX_CACHE_BREAKPOINTS) {
      warnings.push({
        code: "cache-control-limit",
        path: point,
        message: `No cache_control added at ${point}: the request already has ${used} breakpoints.`,
      });
      continue;
    }
    value = marked;
    used++;
  }
  return { value, warnings };
}

/** The request with a marker on its last system block, or undefined when there is none to add. */
function markSystem(request: MessageCreateParams): MessageCreateParams | undefined {
  const { system } = request;
  if (system === undefined || system === "" || (Array.isArray(system) && system.length === 0)) return undefined;
  const blocks: TextBlockParam[] = typeof system === "string" ? [{ type: "text", text: system }] : system;
  const last = blocks.at(-1)!;
  if (last.cache_control) return undefined;
  return { ...request, system: [...blocks.slice(0, -1), { ...last, cache_control: EPHEMERAL }] };
}

function markLastUserMessage(request: MessageCreateParams): MessageCreateParams | undefined {
  const at = request.messages.findLastIndex((message) => message.role === "user");
  if (at < 0) return undefined;
  const message = request.messages[at]!;
  const blocks: ContentBlockParam[] = typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
  const last = blocks.at(-1);
  // Thinking blocks take no marker (they only appear in assistant turns anyway).
  if (last === undefined || last.type === "thinking" || last.type === "redacted_thinking" || last.cache_control) return undefined;
  const marked: MessageParam = { ...message, content: [...blocks.slice(0, -1), { ...last, cache_control: EPHEMERAL }] };
  return { ...request, messages: request.messages.map((each, index) => (index === at ? marked : each)) };
}

function countBreakpoints(request: MessageCreateParams): number {
  const marked = (block: unknown) => ((block as { cache_control?: unknown }).cache_control ? 1 : 0);
  let count = Array.isArray(request.system) ? request.system.reduce((sum, block) => sum + marked(block), 0) : 0;
  for (const tool of request.tools ?? []) count += marked(tool);
  for (const message of request.messages) {
    if (typeof message.content !== "string") for (const block of message.content) count += marked(block);
  }
  return count;
}
