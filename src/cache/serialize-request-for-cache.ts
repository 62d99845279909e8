/**
 * The parts of a normalized request that decide its answer, in canonical JSON: what the exact
 * cache hashes whole and the semantic cache hashes without the last user turn. Left out: what
 * names or carries the request rather than shaping the answer (the client's model name, which
 * the resolved target replaces; `stream`, since a stored answer replays either way; metadata,
 * betas and the Anthropic-only fields normalization drops), the billing header, and
 * `cache_control` markers, which Claude Code moves to the newest block on every turn.
 */

import { type ConversationMemo, reuse, reuseForItems } from "../json/conversation-memo";
import { countFrozenLeading, type Run } from "../json/recent-runs";
import type { ContentBlockParam, MessageCreateParams, MessageParam, TextBlockParam, ToolParam } from "../protocol/anthropic/messages";
import { stripBillingHeader } from "../translate/strip-billing-header";
import { writeCanonicalJson } from "./canonical-json";

export interface SerializedRequest {
  /**
   * Everything but the messages, as canonical JSON: tool_choice, sampling, max_tokens, output
   * format, thinking, unknown extras; system and tools by the SHA-256 of their canonical JSON.
   */
  settings: string;
  /**
   * A hash chain over the messages: entry i is the SHA-256 of entry i-1 and message i's own
   * digest, so it stands for the conversation up to and including message i. With a memo, a
   * long conversation's earlier turns (the same frozen messages every turn) keep their links,
   * and a turn hashes only what is new.
   */
  messages: string[];
}

const NOT_PART_OF_THE_ANSWER: ReadonlySet<string> = new Set([
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
 * // { settings: '{"max_tokens":64}', messages: [<SHA-256 of '{"content":"hi","role":"user"}'>] }
 */
export function serializeRequestForCache(request: MessageCreateParams, memo?: ConversationMemo): SerializedRequest {
  const settings: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request)) {
    if (!NOT_PART_OF_THE_ANSWER.has(field)) settings[field] = value;
  }
  if (request.system !== undefined) settings.system = digestSystem(stripBillingHeader(request.system).value, memo);
  if (Array.isArray(request.tools)) settings.tools = reuse(memo, digestTools, request.tools);
  return { settings: writeCanonicalJson(settings), messages: chainMessages(request.messages, memo) };
}

const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");

function digestTools(tools: ToolParam[]): string {
  return sha256(writeCanonicalJson(tools.map(withoutMarker<ToolParam>)));
}

/** Blocks as a list (Claude Code's system prompt is the same frozen blocks every turn, in a new array); a string as it is. */
function digestSystem(system: string | TextBlockParam[] | undefined, memo: ConversationMemo | undefined): string | undefined {
  if (system === undefined) return undefined;
  return typeof system === "string" ? sha256(writeCanonicalJson(system)) : reuseForItems(memo, digestSystemBlocks, system);
}

function digestSystemBlocks(blocks: readonly TextBlockParam[]): string {
  return sha256(writeCanonicalJson(blocks.map(withoutMarker<TextBlockParam>)));
}

interface Chain extends Run {
  links: string[];
}

/** With a memo, the links of the run of messages that starts the conversation again are taken over (see ConversationMemo.findRun). */
function chainMessages(messages: MessageParam[], memo: ConversationMemo | undefined): string[] {
  const { run, shared } = memo?.findRun<Chain>(chainMessages, messages) ?? { run: undefined, shared: 0 };
  const links = run === undefined ? [] : run.links.slice(0, shared);
  for (let index = shared; index < messages.length; index++) {
    links.push(sha256(`${links.at(-1) ?? ""}\n${reuse(memo, digestMessage, messages[index]!)}`));
  }
  const frozen = countFrozenLeading(messages);
  if (frozen > 0) memo?.keepRun<Chain>(chainMessages, { items: messages.slice(0, frozen), links: links.slice(0, frozen) });
  return links;
}

function digestMessage(message: MessageParam): string {
  return sha256(writeCanonicalJson(withoutMessageMarkers(message)));
}

function withoutMessageMarkers(message: MessageParam): unknown {
  if (typeof message.content === "string") return message;
  return { ...message, content: message.content.map(withoutBlockMarkers) };
}

function withoutBlockMarkers(block: ContentBlockParam): unknown {
  const stripped = withoutMarker(block) as ContentBlockParam;
  if (stripped.type === "tool_result" && Array.isArray(stripped.content))
    return { ...stripped, content: stripped.content.map(withoutMarker) };
  return stripped;
}

function withoutMarker<T extends object>(block: T): T {
  if (!("cache_control" in block)) return block;
  const { cache_control: _marker, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}
