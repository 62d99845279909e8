/**
 * A long-lived ConversationMemo never changes a step's result: conversations sent turn after
 * turn (tool calls and their results, the cache marker moving to the newest message, role
 * "system" notes, messages changed in the middle, subagents interleaved) go through every step
 * that takes the memo, once with the server's memo and once afresh from JSON.parse, and the
 * results must be equal, the backend bodies byte for byte. Seeded: a failure names the seed,
 * and `PROPERTY_SEED=<seed> bun test <this file>` replays it.
 */
import { expect, test } from "bun:test";
import { computeExactCacheKey } from "../../../src/cache/compute-exact-cache-key";
import { serializeRequestForCache } from "../../../src/cache/serialize-request-for-cache";
import { ConversationMemo } from "../../../src/json/conversation-memo";
import { stringifyReusingFrozen } from "../../../src/json/stringify-reusing-frozen";
import type { ContentBlockParam, MessageCreateParams, MessageParam } from "../../../src/protocol/anthropic/messages";
import { computeAffinityKey } from "../../../src/router/compute-affinity-key";
import { validateMessageCreate } from "../../../src/server/validate-message-request";
import { convertAnthropicRequestToOpenAIChat } from "../../../src/translate/convert-anthropic-request-to-openai-chat";
import { estimateInputTokens } from "../../../src/translate/estimate-input-tokens";
import { normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";
import { Draw, randomString } from "../../support/random-json";

const SEED = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 32));
const recorded = readClaudeCodeRequests().find((request) => request.name.includes("p-say-hi"))!.body;

interface Conversation {
  session: number;
  /** Without the cache marker, which goes on the newest message only, as Claude Code sends it. */
  messages: MessageParam[];
  tools: MessageCreateParams["tools"];
}

function padding(draw: Draw): string {
  return `${randomString(draw, 30)} ${"w".repeat(draw.int(300))}`;
}

/** One exchange: an assistant turn, maybe with tool calls, and the user turn that answers it. */
function nextExchange(draw: Draw): MessageParam[] {
  const ids = Array.from({ length: draw.int(3) }, () => `toolu_${draw.int(1e9)}`);
  const assistant: ContentBlockParam[] = [{ type: "text", text: padding(draw) }];
  for (const id of ids)
    assistant.push({ type: "tool_use", id, name: draw.pick(["Bash", "Read", "Edit"]), input: { command: padding(draw) } });
  const results: ContentBlockParam[] = ids
    // Now and then a result for a call that was never made, which becomes user text.
    .map((id) => (draw.chance(0.1) ? `toolu_${draw.int(1e9)}` : id))
    .map((id) => ({
      type: "tool_result",
      tool_use_id: id,
      content: draw.chance(0.5) ? padding(draw) : [{ type: "text", text: padding(draw) }],
    }));
  const text: ContentBlockParam = { type: "text", text: padding(draw) };
  // Text before the results: normalization moves the results first.
  const user = draw.chance(0.1) ? [text, ...results] : results.length > 0 && draw.chance(0.7) ? results : [...results, text];
  const exchange: MessageParam[] = [
    { role: "assistant", content: assistant },
    { role: "user", content: user },
  ];
  if (draw.chance(0.05)) exchange.push({ role: "system", content: padding(draw) });
  if (draw.chance(0.05)) exchange.push({ role: "user", content: padding(draw) });
  return exchange;
}

function advance(draw: Draw, conversation: Conversation): void {
  conversation.messages.push(...nextExchange(draw));
  if (draw.chance(0.1) && conversation.messages.length > 3) {
    // An earlier message changed (compaction, an edited turn): the ones after it stay the same
    // objects, but what they follow changed (an assistant turn with other tool calls).
    const at = 1 + draw.int(conversation.messages.length - 2);
    const role = conversation.messages[at]!.role;
    conversation.messages[at] = role === "assistant" ? nextExchange(draw)[0]! : { role, content: padding(draw) };
  }
  if (draw.chance(0.03)) conversation.tools = conversation.tools?.slice(0, -1);
}

/** The body Claude Code would send: the newest message carries the cache marker; the billing header names the session. */
function writeRequest(draw: Draw, conversation: Conversation): string {
  const messages = structuredClone(conversation.messages);
  const last = messages.at(-1)!;
  if (typeof last.content === "string") last.content = [{ type: "text", text: last.content }];
  const block = last.content.at(-1) as { cache_control?: unknown };
  block.cache_control = { type: "ephemeral" };
  const system = structuredClone(recorded.system) as Array<{ type: "text"; text: string }>;
  system[0]!.text = system[0]!.text.replace(/cc_version=[^;]*/, `cc_version=2.1.332.${conversation.session}`);
  const request = { ...recorded, system, tools: conversation.tools, messages, stream: draw.chance(0.5) };
  return JSON.stringify(request);
}

function newConversation(draw: Draw, session: number): Conversation {
  const first: MessageParam = { role: "user", content: [{ type: "text", text: `session ${session}: ${padding(draw)}` }] };
  return { session, messages: [first, ...structuredClone(recorded.messages.slice(1))], tools: structuredClone(recorded.tools) };
}

/** Every step that takes the memo, with it and without it. */
function runSteps(body: unknown, memo: ConversationMemo | undefined) {
  const config = { stripBillingHeader: true, systemMessages: "hoist" as const };
  const request = validateMessageCreate(body, memo);
  const normalized = normalizeAnthropicRequest(request, config, memo);
  const backendRequest = { ...normalized.value, model: "qwen" };
  const chat = convertAnthropicRequestToOpenAIChat(backendRequest, { thinkingStyle: "chat_template_kwargs", stream: true, memo });
  const bytes = stringifyReusingFrozen(chat.value, memo);
  return {
    normalized,
    estimate: estimateInputTokens(normalized.value, memo),
    cacheKey: computeExactCacheKey(normalized.value, "llama/qwen", memo),
    chain: serializeRequestForCache(normalized.value, memo).messages,
    affinity: computeAffinityKey(normalized.value, memo),
    chat,
    // Copied: the memo's write buffer is overwritten by the next body.
    body: typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes),
  };
}

test(
  "conversations through validation, normalization, estimate, cache and affinity keys, conversion and the backend body",
  () => {
    const draw = new Draw(SEED);
    const memo = new ConversationMemo({ maxDepth: 1_000 });
    // The main loop and subagents: several conversations, interleaved.
    const conversations = Array.from({ length: 3 }, (_, session) => newConversation(draw, session));
    let reusedTurns = 0;
    for (let turn = 0; turn < 400; turn++) {
      const index = draw.int(conversations.length);
      if (draw.chance(0.02)) conversations[index] = newConversation(draw, 100 + turn);
      const conversation = conversations[index]!;
      advance(draw, conversation);
      const text = writeRequest(draw, conversation);
      const shared = memo.parser.parse(new TextEncoder().encode(text)) as MessageCreateParams;
      if (Object.isFrozen(shared.messages[0])) reusedTurns++;
      const withMemo = runSteps(shared, memo);
      const fresh = runSteps(JSON.parse(text), undefined);
      const label = `turn ${turn} (replay: PROPERTY_SEED=${SEED})`;
      expect({ label, ...withMemo }).toEqual({ label, ...fresh });
    }
    // Most turns went through the reuse, or this test proves nothing about it.
    expect(reusedTurns).toBeGreaterThan(200);
  },
  { timeout: 120_000 },
);
