import { describe, expect, test } from "bun:test";
import type { ThinkingStyle } from "../../../src/config/config-choices";
import type { OutputConfigParam, ThinkingConfigParam } from "../../../src/protocol/anthropic/messages";
import { convertAnthropicThinkingToOpenAI } from "../../../src/translate/convert-anthropic-thinking-to-openai";

type Effort = OutputConfigParam["effort"];
const enabled = (budget_tokens: number): ThinkingConfigParam => ({ type: "enabled", budget_tokens });
const adaptive: ThinkingConfigParam = { type: "adaptive" };
const disabled: ThinkingConfigParam = { type: "disabled" };

describe("convertAnthropicThinkingToOpenAI", () => {
  test.each<[ThinkingConfigParam, unknown]>([
    [adaptive, { chat_template_kwargs: { enable_thinking: true } }],
    [{ type: "adaptive", display: "omitted" }, { chat_template_kwargs: { enable_thinking: true } }],
    [disabled, { chat_template_kwargs: { enable_thinking: false } }],
  ])("chat_template_kwargs: %o -> %o", (thinking, expected) => {
    expect(convertAnthropicThinkingToOpenAI(thinking, undefined, "chat_template_kwargs")).toEqual({
      value: expected as never,
      warnings: [],
    });
  });

  test("chat_template_kwargs: enabled turns thinking on and reports the budget it cannot carry", () => {
    expect(convertAnthropicThinkingToOpenAI(enabled(8000), undefined, "chat_template_kwargs")).toEqual({
      value: { chat_template_kwargs: { enable_thinking: true } },
      warnings: [{ code: "dropped-field", path: "thinking.budget_tokens", message: expect.any(String) }],
    });
  });

  test.each<[ThinkingConfigParam, Effort, string]>([
    [enabled(1024), undefined, "low"],
    [enabled(4095), undefined, "low"],
    [enabled(4096), undefined, "medium"],
    [enabled(16383), undefined, "medium"],
    [enabled(16384), undefined, "high"],
    [enabled(100_000), undefined, "high"],
    [adaptive, undefined, "medium"],
    [adaptive, "low", "low"],
    [adaptive, "medium", "medium"],
    [adaptive, "high", "high"],
    [disabled, undefined, "none"],
  ])("reasoning_effort: %o with effort %p -> %s", (thinking, effort, expected) => {
    expect(convertAnthropicThinkingToOpenAI(thinking, effort, "reasoning_effort")).toEqual({
      value: { reasoning_effort: expected as never },
      warnings: [],
    });
  });

  test.each<Effort>(["xhigh", "max"])("reasoning_effort: adaptive with effort %s is sent as high with a warning", (effort) => {
    expect(convertAnthropicThinkingToOpenAI(adaptive, effort, "reasoning_effort")).toEqual({
      value: { reasoning_effort: "high" },
      warnings: [{ code: "approximated-field", path: "output_config.effort", message: expect.stringContaining(String(effort)) }],
    });
  });

  test.each<ThinkingStyle>(["chat_template_kwargs", "reasoning_effort", "none"])("absent thinking sends nothing under %s", (style) => {
    expect(convertAnthropicThinkingToOpenAI(undefined, undefined, style)).toEqual({ value: {}, warnings: [] });
  });

  test.each<ThinkingConfigParam>([adaptive, enabled(2000)])("style none drops requested thinking %o with a warning", (thinking) => {
    expect(convertAnthropicThinkingToOpenAI(thinking, undefined, "none")).toEqual({
      value: {},
      warnings: [{ code: "dropped-field", path: "thinking", message: expect.any(String) }],
    });
  });

  test("style none drops disabled thinking silently: nothing was requested", () => {
    expect(convertAnthropicThinkingToOpenAI(disabled, undefined, "none")).toEqual({ value: {}, warnings: [] });
  });

  test.each<[ThinkingConfigParam | undefined, ThinkingStyle]>([
    [adaptive, "chat_template_kwargs"],
    [enabled(2000), "reasoning_effort"],
    [undefined, "reasoning_effort"],
  ])("an effort that %o under %s cannot carry is reported as dropped", (thinking, style) => {
    const { warnings } = convertAnthropicThinkingToOpenAI(thinking, "medium", style);
    expect(warnings).toContainEqual({ code: "dropped-field", path: "output_config.effort", message: expect.any(String) });
  });

  test("an unknown thinking type is dropped with a warning", () => {
    const thinking = { type: "between_tools" } as ThinkingConfigParam;
    expect(convertAnthropicThinkingToOpenAI(thinking, undefined, "chat_template_kwargs")).toEqual({
      value: {},
      warnings: [{ code: "dropped-field", path: "thinking", message: expect.stringContaining("between_tools") }],
    });
  });
});
