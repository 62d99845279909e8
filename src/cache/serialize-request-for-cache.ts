/**
 * The parts of a normalized request that decide its answer, in canonical JSON: what the exact
 * cache hashes whole and the semantic cache hashes without the last user turn. Left out: what
 * names or carries the request rather than shaping the answer (the client's model name, which
 * the resolved target replaces; `stream`, since a stored answer replays either way; metadata,
 * betas and the Anthropic-only fields normalization drops), the billing header, and
 * `cache_control` markers, which Claude Code moves to the newest block on every turn.
 */
import type { ContentBlockParam, MessageCreateParams, MessageParam, TextBlockParam, ToolParam } from "../protocol/anthropic/messages";
import { memoizeFrozen } from "../json/memoize-frozen";
import { stripBillingHeader } from "../translate/strip-billing-header";
import { writeCanonicalJson } from "./canonical-json";

export interface SerializedRequest {
  /** Everything but the messages: system, tools, tool_choice, sampling, max_tokens, output format, thinking, unknown extras. */
  settings: string;
  /** One canonical text per message, in order. */
  messages: string[];
}

const NOT_PART_OF_THE_ANSWER = new Set([
  "model",
  "messages",
  "stream",
  "metadata",
  "betas",
  "context_management",
  "service_tier",
  "container",
  "mcp_servers",
  "output_format",
]);

/**
 * Fields the cache does not know are kept: a field that reaches the backend may change the
 * answer, so it must change the key.
 *
 * @example
 * serializeRequestForCache({ model: "claude-opus-5-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] });
 * // { settings: '{"max_tokens":64}', messages: ['{"content":"hi","role":"user"}'] }
 */
export function serializeRequestForCache(request: MessageCreateParams): SerializedRequest {
  const settings: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request)) {
    if (!NOT_PART_OF_THE_ANSWER.has(field)) settings[field] = value;
  }
  if (request.system !== undefined) settings.system = withoutMarkers(stripBillingHeader(request.system).value);
  if (Array.isArray(request.tools)) settings.tools = toolsWithoutMarkers(request.tools);
  return { settings: writeCanonicalJson(settings), messages: request.messages.map((message) => writeCanonicalJson(withoutMessageMarkers(message))) };
}

/** Memoized, so that Claude Code's tools, the same frozen list every turn, are written out once. */
const toolsWithoutMarkers = memoizeFrozen((tools: ToolParam[]) => tools.map(withoutMarker<ToolParam>));

function withoutMarkers(system: string | TextBlockParam[] | undefined): unknown {
  return Array.isArray(system) ? system.map(withoutMarker<TextBlockParam>) : system;
}

function withoutMessageMarkers(message: MessageParam): unknown {
  if (typeof message.content === "string") return message;
  return { ...message, content: message.content.map(withoutBlockMarkers) };
}

function withoutBlockMarkers(block: ContentBlockParam): unknown {
  const stripped = withoutMarker(block) as ContentBlockParam;
  if (stripped.type === "tool_result" && Array.isArray(stripped.content)) return { ...stripped, content: stripped.content.map(withoutMarker) };
  return stripped;
}

function withoutMarker<T extends object>(block: T): T {
  if (!("cache_control" in block)) return block;
  const { cache_control: _marker, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}
