import { expect, test } from "bun:test";
import { resolveTargetWindow } from "../../../src/context/resolve-target-window";

const listed = { id: "qwen3", contextWindow: 16_384, contextWindowSource: "llama-server /props n_ctx per slot" };

test.each([
  ["the target's own key first", { "llama/qwen3": 8_192, qwen3: 4_096 }, { window: 8_192, source: "context.windows llama/qwen3" }],
  ["then the model's name", { qwen3: 4_096 }, { window: 4_096, source: "context.windows qwen3" }],
  ["then what the engine listed, with its source", {}, { window: 16_384, source: "llama-server /props n_ctx per slot" }],
] as const)("%s", (_name, windows, expected) => {
  expect(resolveTargetWindow(windows, "llama", listed)).toEqual(expected);
});

test("nothing known: undefined", () => {
  expect(resolveTargetWindow({}, "llama", { id: "qwen3" })).toBeUndefined();
});
