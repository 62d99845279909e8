import { expect, test } from "bun:test";
import { createEstimatingTokenCounter, DEFAULT_TOKEN_ESTIMATE_CALIBRATION } from "../../../src/context/estimate-tokens";
import { countRequestTokens, memoizeTokenCounter, type TokenCounter, TokenCountMemo } from "../../../src/context/token-counter";
import { deepFreeze } from "../../../src/json/deep-freeze";
import type { MessageParam } from "../../../src/protocol/anthropic/messages";

test("the estimate weighs each character by its class, and other text by UTF-16 unit", () => {
  const counter = createEstimatingTokenCounter();
  const { perMessage, letter, digit, punctuation, space, newline, nonAscii } = DEFAULT_TOKEN_ESTIMATE_CALIBRATION;
  expect(counter.countMessage({ role: "user", content: "hello world" })).toBe(perMessage + Math.ceil(10 * letter + space));
  expect(counter.countMessage({ role: "user", content: "x = 42;\n" })).toBe(
    perMessage + Math.ceil(letter + 2 * space + 2 * punctuation + 2 * digit + newline),
  );
  expect(counter.countMessage({ role: "user", content: "这是中文句子" })).toBe(perMessage + Math.ceil(6 * nonAscii));
  expect(counter.countSystem(undefined) + counter.countTools(undefined) + counter.countTools([])).toBe(0);
  const image: MessageParam = { role: "user", content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }] };
  expect(counter.countMessage(image)).toBe(perMessage + DEFAULT_TOKEN_ESTIMATE_CALIBRATION.perImage);
});

test("a memo counts each frozen message once, and never remembers one that could change", () => {
  let counted = 0;
  const estimate = createEstimatingTokenCounter();
  const counting: TokenCounter = {
    ...estimate,
    countMessage: (message) => {
      counted++;
      return estimate.countMessage(message);
    },
  };
  const counter = memoizeTokenCounter(counting, new TokenCountMemo());
  const frozen = deepFreeze<MessageParam[]>([
    { role: "user", content: "task" },
    { role: "assistant", content: "answer" },
  ]);
  const request = { messages: frozen };
  const first = countRequestTokens(request, counter);
  expect(countRequestTokens(request, counter)).toBe(first);
  expect(counted).toBe(2);
  const open: MessageParam = { role: "user", content: "short" };
  const before = counter.countMessage(open);
  open.content = "a much longer text than before";
  expect(counter.countMessage(open)).toBeGreaterThan(before);
  expect(counted).toBe(4);
});
