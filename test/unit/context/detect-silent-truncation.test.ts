import { expect, test } from "bun:test";
import { detectSilentTruncation } from "../../../src/context/detect-silent-truncation";

test.each([
  ["the engine kept 4096 of 44000", 44_000, { input_tokens: 4_096, cache_read_input_tokens: 0 }, true],
  ["cached tokens count as taken", 44_000, { input_tokens: 100, cache_read_input_tokens: 43_000 }, false],
  ["a tokenizer that counts a third less is no cut", 10_000, { input_tokens: 6_700 }, false],
  ["short prompts are left alone", 900, { input_tokens: 10 }, false],
  ["no usage at all", 44_000, undefined, false],
  ["a zero report is no report", 44_000, { input_tokens: 0, cache_read_input_tokens: 0 }, false],
] as const)("%s", (_name, counted, usage, warned) => {
  const warning = detectSilentTruncation(counted, usage);
  expect(warning?.code).toBe(warned ? "prompt-truncated" : undefined);
});
