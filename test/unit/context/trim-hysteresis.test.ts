/**
 * The KV-cache promise of the trim plan, over a generated 60-turn conversation replayed turn by
 * turn: between two cuts every request extends the one before it unchanged, and cuts are rare.
 */
import { expect, test } from "bun:test";
import { createEstimatingTokenCounter } from "../../../src/context/estimate-tokens";
import { type ContextFit, fitRequestToWindow } from "../../../src/context/fit-request-to-window";
import { memoizeTokenCounter, TokenCountMemo } from "../../../src/context/token-counter";
import { deepFreeze } from "../../../src/json/deep-freeze";
import { generateToolConversation, toolConversationRequest } from "../../support/generate-tool-conversation";

// Frozen, as the server's parser hands earlier turns over, so the memoized counter counts each once.
const conversation = deepFreeze(generateToolConversation({ turns: 60 }));
const preamble = { system: "You are a coding agent. Use the tools to read and change files.", tools: [] };

// On 8k the low-water mark leaves room for about one of these turns (their reads run to 2k tokens).
test.each([
  [8_192, 2],
  [16_384, 3],
  [32_768, 3],
])("window %p: between cuts each turn appends to an unchanged prompt; a cut at most every %p turns", (window, turnsPerCut) => {
  const counter = memoizeTokenCounter(createEstimatingTokenCounter(), new TokenCountMemo());
  let previous: ContextFit | undefined;
  let overBudget = 0;
  let cuts = 0;
  for (let turns = 1; turns <= 60; turns++) {
    const request = toolConversationRequest(conversation.slice(0, 2 * turns + 1), preamble);
    const fit = fitRequestToWindow(
      request,
      { window, policy: "trim", outputReserveTokens: 8_192, lowWater: 0.65, recentTurns: 2 },
      counter,
      {
        hasContextFallback: false,
      },
    ).value;
    if (fit.action !== "pass") overBudget++;
    const shape = (f: ContextFit | undefined) => JSON.stringify([f?.plan?.cut, f?.plan?.shortenBefore, f?.plan?.squeezeBefore]);
    if (previous !== undefined && shape(fit) === shape(previous)) {
      const before = previous.request.messages.map((message) => JSON.stringify(message));
      const now = fit.request.messages.map((message) => JSON.stringify(message));
      expect(now.slice(0, before.length)).toEqual(before);
      expect(now.length).toBe(before.length + 2);
    } else if (previous !== undefined) cuts++;
    previous = fit;
  }
  expect(overBudget).toBeGreaterThan(40);
  expect(cuts * turnsPerCut).toBeLessThanOrEqual(overBudget);
});
