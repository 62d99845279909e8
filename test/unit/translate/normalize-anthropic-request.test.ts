import { describe, expect, test } from "bun:test";
import { ConversationMemo } from "../../../src/json/conversation-memo";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import { type NormalizeOptions, normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";

const HEADER = "x-anthropic-billing-header: cc_version=2.1.332.0b8; cc_entrypoint=sdk-cli;";
const defaults: NormalizeOptions = { stripBillingHeader: true, systemMessages: "hoist" };
const base = (extra: Partial<MessageCreateParams> = {}): MessageCreateParams => ({
  model: "claude-opus-5-5",
  max_tokens: 1000,
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});

describe("normalizeAnthropicRequest", () => {
  test.each([
    ["metadata", { metadata: { user_id: "u" } }],
    ["context_management", { context_management: { edits: [] } }],
    ["betas", { betas: ["x"] }],
    ["service_tier", { service_tier: "auto" }],
    ["container", { container: "c" }],
    ["mcp_servers", { mcp_servers: [] }],
  ])("drops %s with a dropped-field warning", (field, extra) => {
    const { value, warnings } = normalizeAnthropicRequest(base(extra), defaults);
    expect(field in value).toBe(false);
    expect(warnings).toEqual([{ code: "dropped-field", path: field, message: expect.any(String) }]);
  });

  test("null-valued fields go without a warning: they asked for nothing", () => {
    const { value, warnings } = normalizeAnthropicRequest(base({ metadata: null as never, output_format: null }), defaults);
    expect("metadata" in value || "output_format" in value).toBe(false);
    expect(warnings).toEqual([]);
  });

  test("keeps output_config.effort for the conversion (it becomes reasoning_effort or a warning there)", () => {
    const { value, warnings } = normalizeAnthropicRequest(base({ output_config: { effort: "medium" } }), defaults);
    expect(value.output_config).toEqual({ effort: "medium" });
    expect(warnings).toEqual([]);
  });

  test("keeps output_config.format beside effort", () => {
    const format = { type: "json_schema" as const, schema: { type: "object" } };
    const { value } = normalizeAnthropicRequest(base({ output_config: { effort: "low", format } }), defaults);
    expect(value.output_config).toEqual({ effort: "low", format });
  });

  test("moves the legacy output_format to output_config.format", () => {
    const format = { type: "json_schema" as const, schema: { type: "object" } };
    const { value, warnings } = normalizeAnthropicRequest(base({ output_format: format }), defaults);
    expect(value.output_config).toEqual({ format });
    expect("output_format" in value).toBe(false);
    expect(warnings).toEqual([]);
  });

  test("output_config.format wins over output_format, which is reported", () => {
    const winner = { type: "json_schema" as const, schema: { type: "object", title: "new" } };
    const loser = { type: "json_schema" as const, schema: { type: "object", title: "old" } };
    const { value, warnings } = normalizeAnthropicRequest(base({ output_config: { format: winner }, output_format: loser }), defaults);
    expect(value.output_config).toEqual({ format: winner });
    expect(warnings).toEqual([{ code: "dropped-field", path: "output_format", message: expect.any(String) }]);
  });

  test("keeps cache_control on system blocks, messages and tools", () => {
    const cache = { type: "ephemeral" as const };
    const request = base({
      system: [{ type: "text", text: "S", cache_control: cache }],
      messages: [{ role: "user", content: [{ type: "text", text: "hi", cache_control: cache }] }],
      tools: [{ name: "Bash", input_schema: { type: "object" }, cache_control: cache }],
    });
    expect(normalizeAnthropicRequest(request, defaults).value).toEqual(request);
  });

  test("strips the billing header only when enabled", () => {
    const request = base({
      system: [
        { type: "text", text: HEADER },
        { type: "text", text: "S" },
      ],
    });
    expect(normalizeAnthropicRequest(request, defaults).value.system).toEqual([{ type: "text", text: "S" }]);
    const kept = normalizeAnthropicRequest(request, { ...defaults, stripBillingHeader: false });
    expect(kept.value.system).toEqual(request.system!);
  });

  test("a system prompt that was only the header disappears", () => {
    const { value } = normalizeAnthropicRequest(base({ system: HEADER }), defaults);
    expect("system" in value).toBe(false);
  });

  test.each([
    [
      "hoist",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
      [
        { type: "text", text: "S" },
        { type: "text", text: "env" },
      ],
    ],
    [
      "user",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "<system-reminder>\nenv\n</system-reminder>" },
            { type: "text", text: "b" },
          ],
        },
      ],
      "S",
    ],
    [
      "keep",
      [
        { role: "user", content: "a" },
        { role: "system", content: "env" },
        { role: "user", content: "b" },
      ],
      "S",
    ],
  ] as const)("systemMessages %s relocates, then merges what became adjacent", (mode, messages, system) => {
    const request = base({
      system: "S",
      messages: [
        { role: "user", content: "a" },
        { role: "system", content: "env" },
        { role: "user", content: "b" },
      ],
    });
    const { value } = normalizeAnthropicRequest(request, { ...defaults, systemMessages: mode });
    expect(value.messages).toEqual(messages as never);
    expect(value.system).toEqual(system as never);
  });

  test("removes deferred tools with a warning and strips defer_loading from the rest", () => {
    const request = base({
      tools: [
        { name: "Bash", input_schema: { type: "object" }, defer_loading: false },
        { name: "DeferredToolPlaceholder", input_schema: { type: "object" }, defer_loading: true },
      ],
    });
    const { value, warnings } = normalizeAnthropicRequest(request, defaults);
    expect(value.tools).toEqual([{ name: "Bash", input_schema: { type: "object" } }]);
    expect(warnings).toEqual([{ code: "dropped-tool", path: "tools[1]", message: expect.any(String) }]);
  });

  test("drops citations from text blocks with one warning; messages without them stay the same objects", () => {
    const citation = { type: "web_search_result_location", url: "https://bun.sh/", title: "Bun", cited_text: "1.3", encrypted_index: "x" };
    const question = { role: "user" as const, content: [{ type: "text" as const, text: "What is new?" }] };
    const request = base({
      messages: [
        question,
        {
          role: "assistant",
          content: [
            { type: "text", text: "Bun 1.3 is out", citations: [citation] },
            { type: "text", text: ", with a SQL client", citations: null },
            { type: "text", text: "." },
          ],
        },
        { role: "user", content: "And after that?" },
      ],
    });
    const { value, warnings } = normalizeAnthropicRequest(request, defaults);
    expect(value.messages[0]).toBe(question);
    expect(value.messages[1]!.content).toEqual([
      { type: "text", text: "Bun 1.3 is out" },
      { type: "text", text: ", with a SQL client" },
      { type: "text", text: "." },
    ]);
    expect(warnings).toEqual([
      { code: "dropped-field", path: "messages[1].content[0].citations", message: expect.stringContaining("2 text blocks") },
    ]);
    expect((request.messages[1]!.content as Array<{ citations?: unknown }>)[0]!.citations).toEqual([citation]);
  });

  test("keeps unknown fields and the input's key order", () => {
    const request = {
      stream: true,
      model: "m",
      custom_field: 1,
      max_tokens: 5,
      metadata: {},
      messages: [{ role: "user" as const, content: "x" }],
    };
    const { value } = normalizeAnthropicRequest(request, defaults);
    expect(Object.keys(value)).toEqual(["stream", "model", "custom_field", "max_tokens", "messages"]);
  });

  test("never mutates its input and gives byte-identical output for equal input", () => {
    const make = () =>
      base({
        system: [
          { type: "text", text: HEADER },
          { type: "text", text: "S" },
        ],
        messages: [
          { role: "user", content: "a" },
          { role: "system", content: "env" },
          { role: "user", content: [{ type: "text", text: "" }] },
        ],
        tools: [{ name: "T", input_schema: { type: "object" }, defer_loading: true }],
        metadata: { user_id: "u" },
        output_config: { effort: "high" },
        output_format: { type: "json_schema", schema: {} },
      });
    const request = make();
    const first = JSON.stringify(normalizeAnthropicRequest(request, defaults));
    expect(request).toEqual(make());
    expect(JSON.stringify(normalizeAnthropicRequest(make(), defaults))).toBe(first);
  });

  test("a resent system prompt comes back as the same frozen list without its billing line, so later steps' memos find it", () => {
    const memo = new ConversationMemo();
    // What the parser hands back for a resent body: the same frozen blocks, in an array of its own each time.
    const parse = (text: string) => memo.parser.parse(new TextEncoder().encode(text)) as MessageCreateParams;
    // Long enough for the parser to remember its parts (it parses small bodies whole).
    const prompt = `You are Claude Code.\n${"Be careful. ".repeat(1_000)}`;
    // Each turn's billing line differs here: only the blocks after it are resent.
    const body = (turn: number) =>
      JSON.stringify(
        base({
          system: [
            { type: "text", text: `${HEADER} cch=${turn};` },
            { type: "text", text: prompt },
          ],
        }),
      );
    // The parser freezes what it is handed a second time; from then on the same blocks come back.
    normalizeAnthropicRequest(parse(body(1)), defaults, memo);
    const first = normalizeAnthropicRequest(parse(body(2)), defaults, memo).value.system;
    const again = normalizeAnthropicRequest(parse(body(3)), defaults, memo).value.system;
    expect(first).toEqual([{ type: "text", text: prompt }]);
    expect(again).toBe(first);
    expect(Object.isFrozen(again)).toBe(true);
    // Without a memo, each call builds its own list.
    expect(normalizeAnthropicRequest(parse(body(4)), defaults).value.system).not.toBe(first);
  });
});
