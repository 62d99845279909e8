import { expect, test } from "bun:test";
import { createEstimatingTokenCounter } from "../../../src/context/estimate-tokens";
import { fitRequestToWindow } from "../../../src/context/fit-request-to-window";
import { placeSummary } from "../../../src/context/place-summary";
import { type SummaryInput, SummaryMemo, summarizeLeftOutTurns } from "../../../src/context/summarize-left-out-turns";
import { generateToolConversation, toolConversationRequest } from "../../support/generate-tool-conversation";

const conversation = generateToolConversation({ turns: 60 });
const counter = createEstimatingTokenCounter();
const settings = { window: 16_384, policy: "compress" as const, outputReserveTokens: 8_192, lowWater: 0.65, recentTurns: 2 };
const preamble = { system: "You are a coding agent.", tools: [] };

test("summaries are made cut by cut, each carrying the one before, and reused until the next cut", async () => {
  const calls: SummaryInput[] = [];
  const summarizer = {
    id: "test/summarizer",
    summarize: async (input: SummaryInput) => {
      calls.push(input);
      return `${input.previousSummary ?? ""}[${input.messages.length} messages]`;
    },
  };
  const memo = new SummaryMemo();
  const signal = new AbortController().signal;
  const summaryAt = async (turns: number) => {
    const request = toolConversationRequest(conversation.slice(0, 2 * turns + 1), preamble);
    const fit = fitRequestToWindow(request, settings, counter, { hasContextFallback: false }).value;
    const summary = await summarizeLeftOutTurns(request.messages, fit.plan!, summarizer, memo, 1_000, signal);
    return { fit, request, summary };
  };
  const at50 = await summaryAt(50);
  const events = at50.fit.plan!.cutEvents;
  expect(events.length).toBeGreaterThan(2);
  expect(calls.length).toBe(events.length);
  expect(calls.map((call) => call.previousSummary === undefined)).toEqual(events.map((_, i) => i === 0));
  const dropped = at50.fit.plan!.cut - at50.fit.plan!.headLength;
  expect(calls.reduce((sum, call) => sum + call.messages.length, 0)).toBe(dropped);

  expect((await summaryAt(50)).summary).toBe(at50.summary!);
  expect(calls.length).toBe(events.length);
  const at60 = await summaryAt(60);
  expect(calls.length).toBe(at60.fit.plan!.cutEvents.length);
  expect(at60.summary!.startsWith(at50.summary!)).toBe(true);

  const placed = placeSummary(at50.request, at50.fit, counter, at50.summary!).value;
  const task = placed.request.messages[0]!.content as Array<{ type: string; text?: string }>;
  expect(task.at(-1)!.text).toStartWith(`[anyclaude: a summary of the ${dropped} earlier messages left out here`);
  expect(task.at(-1)!.text).toEndWith(at50.summary!);
  expect(placed.tokensAfter).toBeLessThanOrEqual(placed.budget.input);
});
