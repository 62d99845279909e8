/**
 * The context step's promises, over every recorded Claude Code request and a generated 60-turn
 * tool-heavy conversation, for 4k to 32k windows and every policy: the result fits (or is the
 * exact "prompt is too long"), no tool pair is split, the system prompt, tools, task and last
 * turn survive, the same input gives the same bytes, and the request stays valid and convertible.
 */
import { describe, expect, test } from "bun:test";
import { computeTokenBudget } from "../../../src/context/compute-token-budget";
import type { ContextPolicy } from "../../../src/context/decide-context-action";
import { createEstimatingTokenCounter } from "../../../src/context/estimate-tokens";
import { type ContextFit, type ContextSettings, fitRequestToWindow } from "../../../src/context/fit-request-to-window";
import { placeSummary } from "../../../src/context/place-summary";
import { countRequestTokens, memoizeTokenCounter, TokenCountMemo } from "../../../src/context/token-counter";
import { ContextOverflowError } from "../../../src/errors/proxy-error";
import { deepFreeze } from "../../../src/json/deep-freeze";
import type { ContentBlockParam, MessageCreateParams, MessageParam } from "../../../src/protocol/anthropic/messages";
import { validateMessageCreate } from "../../../src/server/validate-message-request";
import { convertAnthropicRequestToOpenAIChat } from "../../../src/translate/convert-anthropic-request-to-openai-chat";
import { normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";
import { generateToolConversation, toolConversationRequest } from "../../support/generate-tool-conversation";

const WINDOWS = [4_096, 8_192, 16_384, 32_768];
const VARIANTS: Array<{ policy: ContextPolicy; hasContextFallback: boolean }> = [
  { policy: "error", hasContextFallback: false },
  { policy: "fallback", hasContextFallback: true },
  { policy: "fallback", hasContextFallback: false },
  { policy: "trim", hasContextFallback: false },
  { policy: "compress", hasContextFallback: false },
];
const counter = createEstimatingTokenCounter();

function normalize(body: MessageCreateParams): MessageCreateParams {
  // The count_tokens request has no max_tokens; Claude Code asks for 128000 on the others.
  const withMax: MessageCreateParams = { ...body, max_tokens: body.max_tokens ?? 128_000 };
  return normalizeAnthropicRequest(withMax, { stripBillingHeader: true, systemMessages: "hoist" }).value;
}

const recorded = readClaudeCodeRequests().map(({ name, body }) => ({ name, request: normalize(body) }));
const claudeCodePreamble = recorded.find(({ name }) => name.includes("say-hi"))!.request;
const smallPreamble: Pick<MessageCreateParams, "system" | "tools"> = {
  system: [{ type: "text", text: "You are a coding agent. Use the tools to read and change files." }],
  tools: ["Read", "Bash", "Grep"].map((name) => ({ name, description: `The ${name} tool.`, input_schema: { type: "object" } })),
};
const conversation = generateToolConversation({ turns: 60 });
const generated = [claudeCodePreamble, smallPreamble].flatMap((preamble, p) =>
  [8, 20, 30, 45, 60].map((turns) => ({
    name: `generated ${turns} turns, ${p === 0 ? "Claude Code's" : "a small"} preamble`,
    request: toolConversationRequest(conversation.slice(0, 2 * turns + 1), { system: preamble.system, tools: preamble.tools }),
  })),
);

/** A stand-in summarizer's text: what the compress placement must cope with, short or overlong. */
function summaryOf(messages: readonly MessageParam[], long: boolean): string {
  return `The assistant made ${messages.length} moves. ${long ? "Details follow. ".repeat(5_000) : ""}`;
}

function fit(request: MessageCreateParams, settings: ContextSettings, hasContextFallback: boolean, long = false): ContextFit {
  const fitted = fitRequestToWindow(request, settings, counter, { hasContextFallback }).value;
  if (settings.policy !== "compress" || fitted.plan === undefined) return fitted;
  const dropped = request.messages.slice(fitted.plan.headLength, fitted.plan.cut);
  return placeSummary(request, fitted, counter, summaryOf(dropped, long)).value;
}

function expectToolPairsWhole(messages: MessageParam[]): void {
  messages.forEach((message, index) => {
    const blocks = typeof message.content === "string" ? [] : message.content;
    const uses = blocks.flatMap((block) => (block.type === "tool_use" ? [block.id] : []));
    const next = messages[index + 1];
    const answered =
      next === undefined || typeof next.content === "string"
        ? []
        : next.content.flatMap((block) => (block.type === "tool_result" ? [block.tool_use_id] : []));
    if (uses.length > 0) expect(answered.sort()).toEqual(uses.sort());
    const previous = messages[index - 1];
    const asked =
      previous === undefined || typeof previous.content === "string"
        ? []
        : previous.content.flatMap((block) => (block.type === "tool_use" ? [block.id] : []));
    for (const block of blocks) if (block.type === "tool_result") expect(asked).toContain(block.tool_use_id);
  });
}

function blocksOf(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
}

describe.each([...recorded, ...generated])("$name", ({ request }) => {
  const total = countRequestTokens(request, counter);
  test.each(WINDOWS.flatMap((window) => VARIANTS.map((variant) => ({ window, ...variant }))))(
    "window $window, policy $policy (contextFallback: $hasContextFallback)",
    ({ window, policy, hasContextFallback }) => {
      const settings: ContextSettings = { window, policy, outputReserveTokens: 8_192, lowWater: 0.65, recentTurns: 2 };
      const budget = computeTokenBudget(window, settings.outputReserveTokens);
      let result: ContextFit;
      try {
        result = fit(request, settings, hasContextFallback);
      } catch (error) {
        expect(error).toBeInstanceOf(ContextOverflowError);
        expect((error as Error).message).toBe(`prompt is too long: ${total} tokens > ${budget.input} maximum`);
        const mustOverflow = policy === "error" || (policy === "fallback" && hasContextFallback);
        // Trim and compress give up only when what must be kept (system prompt, tools, task)
        // already takes more than half the budget: every overflow here is Claude Code's preamble.
        if (!mustOverflow) {
          const head = counter.countSystem(request.system) + counter.countTools(request.tools) + counter.countMessage(request.messages[0]!);
          expect(head).toBeGreaterThan(budget.input / 2);
        }
        return;
      }
      const sent = result.request;
      const tokens = countRequestTokens(sent, createEstimatingTokenCounter());
      expect(tokens).toBeLessThanOrEqual(budget.input);
      expect(tokens).toBe(result.tokensAfter);
      expect(sent.max_tokens + tokens).toBeLessThanOrEqual(window);
      if (total <= budget.input) expect(sent.messages).toBe(request.messages);

      expect(sent.system).toBe(request.system);
      expect(sent.tools).toBe(request.tools);
      const task = blocksOf(request.messages[0]!);
      expect(blocksOf(sent.messages[0]!).slice(0, task.length)).toEqual(task);
      const last = request.messages.at(-1)!;
      const sentLast = sent.messages.at(-1)!;
      expect(blocksOf(sentLast).map((block) => (block.type === "tool_result" ? block.tool_use_id : block))).toEqual(
        blocksOf(last).map((block) => (block.type === "tool_result" ? block.tool_use_id : block)),
      );
      expectToolPairsWhole(sent.messages);
      expect(sent.messages.map((message) => message.role)).toEqual(sent.messages.map((_, i) => (i % 2 === 0 ? "user" : "assistant")));

      // Same input, same bytes: from a copy, with a memoized counter over frozen messages.
      const copy = deepFreeze(structuredClone(request));
      const memoized = memoizeTokenCounter(createEstimatingTokenCounter(), new TokenCountMemo());
      const again = fitRequestToWindow(copy, settings, memoized, { hasContextFallback }).value;
      const placedAgain =
        policy === "compress" && again.plan
          ? placeSummary(copy, again, memoized, summaryOf(copy.messages.slice(again.plan.headLength, again.plan.cut), false)).value
          : again;
      expect(JSON.stringify(placedAgain.request)).toBe(JSON.stringify(sent));

      expect(() => validateMessageCreate(JSON.parse(JSON.stringify(sent)))).not.toThrow();
      const before = convertAnthropicRequestToOpenAIChat(request, { thinkingStyle: "chat_template_kwargs", stream: true }).warnings;
      const after = convertAnthropicRequestToOpenAIChat(sent, { thinkingStyle: "chat_template_kwargs", stream: true }).warnings;
      expect(after.map((warning) => warning.code)).toEqual(before.map((warning) => warning.code));
    },
  );
});

test("an overlong summary is cut to the room the plan kept, and the prompt still fits", () => {
  const request = generated.at(-1)!.request;
  const settings: ContextSettings = { window: 8_192, policy: "compress", outputReserveTokens: 8_192, lowWater: 0.65, recentTurns: 2 };
  const result = fit(request, settings, false, true);
  expect(result.tokensAfter).toBeLessThanOrEqual(result.budget.input);
  expect(JSON.stringify(result.request.messages[0])).toContain("… [summary cut]");
});
