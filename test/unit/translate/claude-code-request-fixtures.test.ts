/**
 * The request direction against the bodies Claude Code 2.1.332 really sent: whatever else
 * changes, these must normalize and convert cleanly.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { THINKING_STYLES, type ThinkingStyle } from "../../../src/config/config-choices";
import type { MessageCreateParams, TextBlockParam, ToolParam } from "../../../src/protocol/anthropic/messages";
import { findLoadedDeferredTools } from "../../../src/tool-calls/find-loaded-deferred-tools";
import { convertAnthropicRequestToOpenAIChat } from "../../../src/translate/convert-anthropic-request-to-openai-chat";
import { type NormalizeOptions, normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";

const FIXTURES = join(import.meta.dir, "../../fixtures/claude-code-2.1.332");
const BODIES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".body.json"))
  .sort();
const DEFAULTS: NormalizeOptions = { stripBillingHeader: true, systemMessages: "hoist" };

const readBody = async (name: string) => JSON.parse(await Bun.file(join(FIXTURES, name)).text()) as MessageCreateParams;
const translate = (body: MessageCreateParams, thinkingStyle: ThinkingStyle = "chat_template_kwargs") => {
  const normalized = normalizeAnthropicRequest(body, DEFAULTS);
  return { normalized, converted: convertAnthropicRequestToOpenAIChat(normalized.value, { thinkingStyle, stream: true }) };
};
const systemMessageTexts = (body: MessageCreateParams): string[] =>
  body.messages
    .filter((message) => message.role === "system")
    .flatMap((message) =>
      typeof message.content === "string" ? [message.content] : (message.content as TextBlockParam[]).map((block) => block.text),
    );

describe("recorded Claude Code 2.1.332 requests", () => {
  test("the fixtures hold what these tests look for", async () => {
    expect(BODIES.length).toBeGreaterThanOrEqual(4);
    const bodies = await Promise.all(BODIES.map(readBody));
    const count = (has: (body: MessageCreateParams) => boolean) => bodies.filter(has).length;
    expect(count((body) => JSON.stringify(body.system ?? "").includes("x-anthropic-billing-header"))).toBeGreaterThanOrEqual(3);
    expect(count((body) => systemMessageTexts(body).length > 0)).toBeGreaterThanOrEqual(2);
    expect(count((body) => (body.tools ?? []).some((tool) => tool.defer_loading === true))).toBeGreaterThanOrEqual(2);
    expect(count((body) => (body.tools ?? []).some((tool) => tool.input_schema?.additionalProperties === false))).toBeGreaterThanOrEqual(3);
  });

  describe.each(BODIES)("%s", (name) => {
    test.each(THINKING_STYLES)("normalizes and converts under thinking style %s without touching the input", async (style) => {
      const body = await readBody(name);
      const { converted } = translate(body, style);
      expect(converted.value.messages.length).toBeGreaterThan(0);
      expect(body).toEqual(await readBody(name));
    });

    test("the billing header is gone", async () => {
      const body = await readBody(name);
      const { normalized, converted } = translate(body);
      expect(JSON.stringify(normalized.value)).not.toContain("x-anthropic-billing-header");
      expect(JSON.stringify(converted.value)).not.toContain("x-anthropic-billing-header");
    });

    test("role:system messages are hoisted to the end of the system prompt", async () => {
      const body = await readBody(name);
      const hoisted = systemMessageTexts(body);
      const { normalized, converted } = translate(body);
      expect(normalized.value.messages.some((message) => message.role === "system")).toBe(false);
      const system = (normalized.value.system ?? []) as TextBlockParam[];
      expect(system.slice(system.length - hoisted.length).map((block) => block.text)).toEqual(hoisted);
      const systemMessages = converted.value.messages.filter((message) => message.role === "system");
      expect(systemMessages.length).toBe(body.system === undefined && hoisted.length === 0 ? 0 : 1);
      if (hoisted.length > 0) expect(String(converted.value.messages[0]!.content).endsWith(hoisted.at(-1)!)).toBe(true);
    });

    test("deferred tools are gone with a warning unless ToolSearch loaded them; every other tool survives with additionalProperties", async () => {
      const body = await readBody(name);
      const tools = body.tools ?? [];
      const { normalized, converted } = translate(body);
      const loaded = findLoadedDeferredTools(body.messages).names;
      const isDropped = (tool: ToolParam) => tool.defer_loading === true && !loaded.includes(tool.name);
      const deferred = tools.flatMap((tool, index) => (isDropped(tool) ? [`tools[${index}]`] : []));
      const dropped = normalized.warnings.filter((warning) => warning.code === "dropped-tool").map((warning) => warning.path);
      expect(dropped).toEqual(deferred);

      // Loaded deferred tools come last, in the order they were loaded. Server tools (WebSearch's
      // web_search_20250305) have no schema: conversion drops them, unless anyclaude runs them itself.
      const kept = [
        ...tools.filter((tool) => tool.defer_loading !== true && tool.type === undefined),
        ...loaded.flatMap((toolName) => tools.filter((tool) => tool.name === toolName && tool.defer_loading === true)),
      ];
      const out = converted.value.tools ?? [];
      expect(out.map((tool) => tool.function.name)).toEqual(kept.map((tool) => tool.name));
      out.forEach((tool, index) => {
        expect(tool.function.parameters.additionalProperties).toEqual(kept[index]!.input_schema.additionalProperties);
        expect(tool.function.parameters).not.toHaveProperty("$schema");
      });
    });

    test("converting the same body twice gives identical JSON", async () => {
      const first = translate(await readBody(name));
      const second = translate(await readBody(name));
      expect(JSON.stringify(second.normalized)).toBe(JSON.stringify(first.normalized));
      expect(JSON.stringify(second.converted)).toBe(JSON.stringify(first.converted));
    });

    test("conversion warns only about an effort the thinking style cannot carry", async () => {
      const body = await readBody(name);
      const describe = (style: ThinkingStyle) =>
        translate(body, style).converted.warnings.map((warning) => `${warning.code} ${warning.path}`);
      const serverTools = (translate(body).normalized.value.tools ?? []).flatMap((tool, index) =>
        tool.type === undefined ? [] : [`dropped-tool tools[${index}]`],
      );
      const effort = body.output_config?.effort ? ["dropped-field output_config.effort"] : [];
      expect(describe("chat_template_kwargs")).toEqual([...serverTools, ...effort]);
      // reasoning_effort carries effort only for adaptive thinking.
      expect(describe("reasoning_effort")).toEqual([...serverTools, ...(body.thinking?.type === "adaptive" ? [] : effort)]);
    });
  });

  test("say-hi: the placeholder tool and Anthropic-only fields are reported", async () => {
    const body = await readBody("cc-2.1.332_p-say-hi_stream.body.json");
    const placeholder = body.tools!.findIndex((tool) => tool.name === "DeferredToolPlaceholder");
    expect(placeholder).toBeGreaterThanOrEqual(0);
    const { normalized } = translate(body);
    expect(normalized.warnings.map((warning) => `${warning.code} ${warning.path}`).sort()).toEqual(
      [`dropped-tool tools[${placeholder}]`, "dropped-field metadata", "dropped-field context_management"].sort(),
    );
  });

  test("bash follow-up: the tool result directly follows the assistant's tool call", async () => {
    const { converted } = translate(await readBody("cc-2.1.332_p-bash-tool-result_followup.body.json"));
    const messages = converted.value.messages;
    const callIndex = messages.findIndex((message) => message.role === "assistant" && message.tool_calls !== undefined);
    const call = messages[callIndex];
    if (call?.role !== "assistant") throw new Error("expected an assistant message with a tool call");
    expect(messages[callIndex + 1]).toEqual({ role: "tool", tool_call_id: call.tool_calls![0]!.id, content: "hello" });
  });

  test("session title: the structured output becomes a strict json_schema response_format", async () => {
    const body = await readBody("cc-2.1.332_interactive-title_structured-output.body.json");
    const { converted } = translate(body);
    expect(converted.value.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "output", schema: body.output_config!.format!.schema, strict: true },
    });
    expect(converted.value.tools).toBeUndefined();
  });
});
