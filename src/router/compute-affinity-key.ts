/**
 * The affinity key of a request: a SHA-256 over the part of the prompt that every request of
 * one Claude Code conversation starts with. Engines reuse their KV cache only for an identical
 * token prefix, and chat templates render system, then tools, then the messages in order, so
 * requests with the same key can skip re-evaluating that prefix on the engine that saw it.
 */
import { type ConversationMemo, reuse } from "../json/conversation-memo";
import type { ContentBlockParam, MessageCreateParams, ToolParam } from "../protocol/anthropic/messages";

/**
 * How many opening messages belong to the prefix: the first user turn, and the `role:
 * "system"` environment note that Claude Code 2.1.x sends right after it when normalization
 * keeps it in place. The first assistant reply is never included: it exists only from the
 * second request on, and including it would move a conversation after its first answer.
 */
const AFFINITY_MESSAGE_COUNT = 2;

/** The billing line differs between sessions and between a session's main and side calls; any such line in the system text is skipped. */
const BILLING_HEADER = /x-anthropic-billing-header:/i;
const BILLING_HEADER_LINES = /^[ \t]*x-anthropic-billing-header:[^\n]*(?:\n|$)/gim;

/**
 * Hashes, in prompt order: the system text (text only, without billing-header lines), each
 * tool's name and input schema, and the opening messages' content. Left out on purpose:
 * - tool descriptions: 18 of Claude Code's 49 KB and a quarter of the hashing time, and they
 *   change only with a Claude Code release, which changes the system prompt as well;
 * - `cache_control`: Claude Code moves it to the newest block on every turn;
 * - whether text came as a string or as blocks: the environment note arrives as blocks on
 *   turn one and as a string afterwards;
 * - everything outside the prompt (model, sampling, max_tokens).
 * Strings go to the hasher one by one, length-prefixed so that no two splits of the same
 * characters collide; only tool schemas are stringified. Expects the normalized request
 * (deferred tools removed, system messages hoisted) but gives stable keys on a raw one too.
 * With a memo, a resent (frozen) tool list is described once.
 *
 * @example
 * computeAffinityKey(normalizedRequest); // => "5b0e…" (64 hex digits), the same on every turn of one conversation
 */
export function computeAffinityKey(request: Pick<MessageCreateParams, "system" | "tools" | "messages">, memo?: ConversationMemo): string {
  const hasher = new Bun.CryptoHasher("sha256");
  const write = (tag: string, text: string) => {
    hasher.update(`${tag}${text.length}:`);
    hasher.update(text);
  };

  const system = request.system;
  if (typeof system === "string") writeSystemText(write, system);
  else for (const block of system ?? []) writeSystemText(write, block.text);

  hasher.update(reuse(memo, describeTools, request.tools ?? []));

  const messages = request.messages;
  for (let index = 0; index < Math.min(AFFINITY_MESSAGE_COUNT, messages.length); index++) {
    const message = messages[index]!;
    if (message.role === "assistant") break;
    write("role", message.role);
    if (typeof message.content === "string") write("text", message.content);
    else for (const block of message.content) writeBlock(write, block);
  }
  return hasher.digest("hex");
}

type Write = (tag: string, text: string) => void;

/** What `write` would feed the hasher for each tool, as one text. */
function describeTools(tools: ToolParam[]): string {
  let text = "";
  for (const tool of tools) {
    // Server tools (web_search_…) carry no schema.
    const schema = JSON.stringify(tool.input_schema) ?? "";
    text += `tool${tool.name.length}:${tool.name}schema${schema.length}:${schema}`;
  }
  return text;
}

function writeSystemText(write: Write, text: string): void {
  const kept = BILLING_HEADER.test(text) ? text.replace(BILLING_HEADER_LINES, "") : text;
  // A block that held only the billing line leaves nothing, as if it had never been sent.
  if (kept !== "") write("system", kept);
}

function writeBlock(write: Write, block: ContentBlockParam): void {
  if (block.type === "text") {
    write("text", block.text);
    return;
  }
  const { cache_control: _ignored, ...rest } = block as ContentBlockParam & { cache_control?: unknown };
  write(block.type, JSON.stringify(rest));
}
