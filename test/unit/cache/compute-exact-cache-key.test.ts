import { describe, expect, test } from "bun:test";
import { writeCanonicalJson } from "../../../src/cache/canonical-json";
import { computeExactCacheKey } from "../../../src/cache/compute-exact-cache-key";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";

const TARGET = "local/qwen3-coder";
const BASE: MessageCreateParams = {
  model: "claude-opus-5-5",
  max_tokens: 1024,
  system: [
    { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.332.0b8; cc_entrypoint=cli;" },
    { type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } },
  ],
  tools: [{ name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { command: { type: "string" } } } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "list files" }] },
    { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }] },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "a.txt", cache_control: { type: "ephemeral" } }] },
      ],
    },
  ],
};

const keyOf = (request: MessageCreateParams, target = TARGET) => computeExactCacheKey(request, target);

describe("writeCanonicalJson", () => {
  test("sorts keys at every level and leaves out undefined members", () => {
    expect(writeCanonicalJson({ b: 1, a: [true, { d: null, c: "x", e: undefined }], z: undefined })).toBe(
      '{"a":[true,{"c":"x","d":null}],"b":1}',
    );
    expect(writeCanonicalJson([undefined, "é\n"])).toBe('[null,"é\\n"]');
  });
});

describe("computeExactCacheKey", () => {
  test("is a SHA-256 hex digest, the same for the same request however its keys are ordered", () => {
    const reordered = JSON.parse(JSON.stringify(BASE), (_key, value) =>
      value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as MessageCreateParams;
    expect(Object.keys(reordered)[0]).toBe("messages");
    expect(keyOf(BASE)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOf(reordered)).toBe(keyOf(BASE));
  });

  test("ignores per-request noise: billing header, cache_control markers anywhere, metadata, stream, betas, the client's model name", () => {
    const noisy = structuredClone(BASE);
    (noisy.system as Array<{ text: string }>)[0]!.text = "x-anthropic-billing-header: cc_version=2.1.332.fff; cc_entrypoint=sdk-cli;";
    delete (noisy.system as Array<{ cache_control?: unknown }>)[1]!.cache_control;
    noisy.tools![0]!.cache_control = { type: "ephemeral" };
    (noisy.messages[0]!.content as Array<{ cache_control?: unknown }>)[0]!.cache_control = { type: "ephemeral", ttl: "1h" };
    Object.assign(noisy, {
      metadata: { user_id: "someone else" },
      stream: true,
      betas: ["x"],
      model: "claude-sonnet-5-5",
      context_management: { edits: [] },
    });
    expect(keyOf(noisy)).toBe(keyOf(BASE));
    const withoutHeader = { ...BASE, system: (BASE.system as unknown[]).slice(1) } as MessageCreateParams;
    expect(keyOf(withoutHeader)).toBe(keyOf(BASE));
  });

  test("changes with the resolved target and with everything that shapes the answer", () => {
    const changes: Array<[string, (request: MessageCreateParams) => void]> = [
      ["system", (r) => ((r.system as Array<{ text: string }>)[1]!.text += " Be brief.")],
      ["a tool", (r) => (r.tools![0]!.description = "Run a shell command")],
      ["a message", (r) => ((r.messages[0]!.content as Array<{ text: string }>)[0]!.text = "list all files")],
      ["a tool result", (r) => ((r.messages[2]!.content as Array<{ content: Array<{ text: string }> }>)[0]!.content[0]!.text = "b.txt")],
      ["tool_choice", (r) => (r.tool_choice = { type: "any" })],
      ["temperature", (r) => (r.temperature = 0.2)],
      ["top_p", (r) => (r.top_p = 0.9)],
      ["top_k", (r) => (r.top_k = 40)],
      ["stop_sequences", (r) => (r.stop_sequences = ["\n\n"])],
      ["max_tokens", (r) => (r.max_tokens = 2048)],
      ["output format", (r) => (r.output_config = { format: { type: "json_schema", schema: { type: "object" } } })],
      ["effort", (r) => (r.output_config = { effort: "high" })],
      ["thinking", (r) => (r.thinking = { type: "enabled", budget_tokens: 1024 })],
      ["a field the cache does not know", (r) => (r.chat_template_kwargs = { enable_thinking: false })],
    ];
    const keys = new Set([keyOf(BASE), keyOf(BASE, "group:coder")]);
    for (const [, change] of changes) {
      const changed = structuredClone(BASE);
      change(changed);
      keys.add(keyOf(changed));
    }
    expect(keys.size).toBe(changes.length + 2);
  });
});
