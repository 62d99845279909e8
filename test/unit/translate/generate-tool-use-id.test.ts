import { expect, test } from "bun:test";
import { generateToolUseId } from "../../../src/translate/generate-tool-use-id";

test("generateToolUseId has Anthropic's shape and does not repeat", () => {
  const ids = Array.from({ length: 200 }, generateToolUseId);
  for (const id of ids) expect(id).toMatch(/^toolu_[0-9a-f]{24}$/);
  expect(new Set(ids).size).toBe(ids.length);
});
