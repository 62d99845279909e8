import { expect, test } from "bun:test";
import { countWithTokenizer, type TextTokenizer } from "../../../src/context/count-with-tokenizer";
import { createEstimatingTokenCounter } from "../../../src/context/estimate-tokens";
import { TokenCountMemo } from "../../../src/context/token-counter";
import type { MessageParam, TextBlockParam } from "../../../src/protocol/anthropic/messages";

/** A tokenizer that counts words, and remembers what it was asked. */
function wordTokenizer(): TextTokenizer & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async count(texts) {
      asked.push([...texts]);
      return texts.map((text) => text.split(/\s+/).filter(Boolean).length);
    },
  };
}

const signal = new AbortController().signal;
const estimate = createEstimatingTokenCounter();

test("each frozen part is asked once; a later turn asks only for its new messages", async () => {
  const tokenizer = wordTokenizer();
  const memo = new TokenCountMemo();
  const system = Object.freeze([Object.freeze({ type: "text" as const, text: "You are brief." })]) as TextBlockParam[];
  const first = Object.freeze({ role: "user", content: "read the parser please" }) as MessageParam;
  const reply = Object.freeze({ role: "assistant", content: "done" }) as MessageParam;
  const next = Object.freeze({ role: "user", content: "now the lexer" }) as MessageParam;

  const counter = (await countWithTokenizer({ system, messages: [first] }, tokenizer, memo, estimate, signal))!;
  // Four words plus the estimate's framing of a message (6).
  expect(counter.countMessage(first)).toBe(10);
  expect(counter.countSystem(system)).toBe(9);
  expect(tokenizer.asked).toEqual([["You are brief.", "read the parser please"]]);

  const later = (await countWithTokenizer({ system, messages: [first, reply, next] }, tokenizer, memo, estimate, signal))!;
  expect(tokenizer.asked.at(-1)).toEqual(["done", "now the lexer"]);
  expect(later.countMessage(next)).toBe(9);
  // What was never tokenized (a marker the trim writes) is estimated.
  const marker: MessageParam = { role: "user", content: "[earlier turns left out]" };
  expect(later.countMessage(marker)).toBe(estimate.countMessage(marker));
});

test("tool calls and results count their text and their framing; an engine without a tokenizer gives no counter", async () => {
  const tokenizer = wordTokenizer();
  const call: MessageParam = { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: { path: "a.ts" } }] };
  const result: MessageParam = { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "one two three" }] };
  const counter = (await countWithTokenizer({ messages: [call, result] }, tokenizer, new TokenCountMemo(), estimate, signal))!;
  expect(tokenizer.asked[0]).toEqual(['Read\n{"path":"a.ts"}', "one two three"]);
  expect(counter.countMessage(result)).toBe(6 + 10 + 3);
  const none: TextTokenizer = { count: async () => undefined };
  expect(await countWithTokenizer({ messages: [call] }, none, new TokenCountMemo(), estimate, signal)).toBeUndefined();
});
