import { expect, test } from "bun:test";
import { clampMaxTokens, computeTokenBudget } from "../../../src/context/compute-token-budget";
import { decideContextAction } from "../../../src/context/decide-context-action";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";

test.each([
  [4_096, 8_192, { window: 4_096, outputReserve: 1_024, input: 3_072 }],
  [32_768, 8_192, { window: 32_768, outputReserve: 8_192, input: 24_576 }],
  [131_072, 8_192, { window: 131_072, outputReserve: 8_192, input: 122_880 }],
  [16_384, 0, { window: 16_384, outputReserve: 0, input: 16_384 }],
])("window %p, reserve %p", (window, reserve, expected) => {
  expect(computeTokenBudget(window, reserve)).toEqual(expected);
});

const request: MessageCreateParams = { model: "m", max_tokens: 128_000, messages: [{ role: "user", content: "hi" }] };

test("max_tokens is lowered to the room the prompt leaves, with a warning", () => {
  const clamped = clampMaxTokens(request, 16_384, 10_000);
  expect(clamped.value.max_tokens).toBe(6_384);
  expect(clamped.warnings.map((warning) => warning.code)).toEqual(["max-tokens-clamped"]);
  expect(request.max_tokens).toBe(128_000);
  expect(clampMaxTokens({ ...request, max_tokens: 512 }, 16_384, 10_000)).toEqual({ value: { ...request, max_tokens: 512 }, warnings: [] });
});

test("a thinking budget at or above the new max_tokens goes below it", () => {
  const clamped = clampMaxTokens({ ...request, thinking: { type: "enabled", budget_tokens: 10_000 } }, 8_192, 4_000);
  expect(clamped.value.max_tokens).toBe(4_192);
  expect(clamped.value.thinking).toEqual({ type: "enabled", budget_tokens: 4_191 });
  expect(clamped.warnings.map((warning) => warning.code)).toEqual(["max-tokens-clamped", "thinking-budget-clamped"]);
});

test.each([
  ["error", false, "overflow"],
  ["fallback", true, "overflow"],
  ["fallback", false, "trim"],
  ["trim", true, "trim"],
  ["compress", false, "compress"],
] as const)("policy %p (contextFallback %p) over the budget: %p", (policy, hasContextFallback, action) => {
  const decided = decideContextAction(policy, { fits: false, hasContextFallback });
  expect(decided.value).toBe(action);
  expect(decided.warnings.map((warning) => warning.code)).toEqual(
    policy === "fallback" && !hasContextFallback ? ["context-fallback-missing"] : [],
  );
  expect(decideContextAction(policy, { fits: true, hasContextFallback }).value).toBe("pass");
});
