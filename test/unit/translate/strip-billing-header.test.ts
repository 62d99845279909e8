import { describe, expect, test } from "bun:test";
import type { TextBlockParam } from "../../../src/protocol/anthropic/messages";
import { stripBillingHeader } from "../../../src/translate/strip-billing-header";

const HEADER = "x-anthropic-billing-header: cc_version=2.1.332.0b8; cc_entrypoint=sdk-cli;";
const text = (value: string): TextBlockParam => ({ type: "text", text: value });

describe("stripBillingHeader", () => {
  test.each([
    ["a header block before the prompt", [text(HEADER), text("You are Claude Code.")], [text("You are Claude Code.")]],
    ["a header line opening a block", [text(`${HEADER}\nYou are Claude Code.`)], [text("You are Claude Code.")]],
    ["a header with a CRLF line end", [text(`${HEADER}\r\nRest`)], [text("Rest")]],
    [
      "the prompt glued after the last pair (older releases)",
      [text(`${HEADER} cch=a5145;You are Claude Code.`)],
      [text("You are Claude Code.")],
    ],
    ["a header of unknown shape loses its whole line", [text("x-anthropic-billing-header: opaque\nRest")], [text("Rest")]],
    ["leading empty blocks do not hide the header", [text(""), text(HEADER), text("P")], [text(""), text("P")]],
  ])("removes %s", (_name, system, expected) => {
    expect(stripBillingHeader(system)).toEqual({ value: expected, removed: true });
  });

  test.each([
    ["a prompt without the header", [text("You are Claude Code.")]],
    ["a header quoted in a later block", [text("Prompt"), text(HEADER)]],
    ["a header quoted on a later line", [text(`Prompt\n${HEADER}`)]],
    ["only empty blocks", [text(""), text("  ")]],
    ["no blocks", []],
  ])("leaves %s alone", (_name, system: TextBlockParam[]) => {
    const result = stripBillingHeader(system);
    expect(result.removed).toBe(false);
    expect(result.value).toBe(system);
  });

  test("keeps a block's other fields, such as cache_control", () => {
    const block: TextBlockParam = { type: "text", text: `${HEADER}\nPrompt`, cache_control: { type: "ephemeral" } };
    expect(stripBillingHeader([block]).value).toEqual([{ type: "text", text: "Prompt", cache_control: { type: "ephemeral" } }]);
  });

  test("strips the first line of a string prompt", () => {
    expect(stripBillingHeader(`${HEADER}\nYou are Claude Code.`)).toEqual({ value: "You are Claude Code.", removed: true });
  });

  test("a prompt that was only the header becomes undefined", () => {
    expect(stripBillingHeader(HEADER)).toEqual({ value: undefined, removed: true });
    expect(stripBillingHeader([text(HEADER)])).toEqual({ value: undefined, removed: true });
  });

  test("string prompts without the header and absent prompts pass through", () => {
    expect(stripBillingHeader("Be brief.")).toEqual({ value: "Be brief.", removed: false });
    expect(stripBillingHeader("")).toEqual({ value: "", removed: false });
    expect(stripBillingHeader(undefined)).toEqual({ value: undefined, removed: false });
  });

  test("never mutates its input", () => {
    const system = [text(HEADER), text(`${HEADER}\nsecond`)];
    const before = structuredClone(system);
    stripBillingHeader(system);
    stripBillingHeader([text(`${HEADER}\nPrompt`)]);
    expect(system).toEqual(before);
  });
});
