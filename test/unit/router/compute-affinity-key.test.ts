import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { MessageCreateParams, MessageParam, TextBlockParam } from "../../../src/protocol/anthropic/messages";
import { computeAffinityKey } from "../../../src/router/compute-affinity-key";
import { type NormalizeOptions, normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";

const FIXTURES = join(import.meta.dir, "../../fixtures/claude-code-2.1.332");
const sayHi = (await Bun.file(join(FIXTURES, "cc-2.1.332_p-say-hi_stream.body.json")).json()) as MessageCreateParams;
const followUp = (await Bun.file(join(FIXTURES, "cc-2.1.332_p-bash-tool-result_followup.body.json")).json()) as MessageCreateParams;
const hoist: NormalizeOptions = { stripBillingHeader: true, systemMessages: "hoist" };

const small = (extra: Partial<MessageCreateParams> = {}): MessageCreateParams => ({
  model: "claude-opus-5-5",
  max_tokens: 1000,
  system: "Be brief.",
  tools: [{ name: "Read", description: "Reads a file.", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});

/** The first request of the run whose second request is `followUp`, as Claude Code sends it on turn one. */
function firstTurnOf(request: MessageCreateParams): MessageCreateParams {
  const [opening, environment] = request.messages as [MessageParam, MessageParam];
  const note: TextBlockParam = { type: "text", text: environment.content as string, cache_control: { type: "ephemeral" } };
  return { ...request, messages: [opening, { role: "system", content: [note] }] };
}

describe("computeAffinityKey", () => {
  test("is a SHA-256 in hex, the same for the same request", () => {
    const key = computeAffinityKey(normalizeAnthropicRequest(sayHi, hoist).value);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAffinityKey(normalizeAnthropicRequest(structuredClone(sayHi), hoist).value)).toBe(key);
  });

  test.each(["hoist", "user", "keep"] as const)(
    "a recorded conversation keeps its key from its first request to the next (system messages: %s)",
    (systemMessages) => {
      const options = { stripBillingHeader: true, systemMessages };
      const second = computeAffinityKey(normalizeAnthropicRequest(followUp, options).value);
      expect(computeAffinityKey(normalizeAnthropicRequest(firstTurnOf(followUp), options).value)).toBe(second);
    },
  );

  test("the raw request keeps its key across turns too", () => {
    expect(computeAffinityKey(firstTurnOf(followUp))).toBe(computeAffinityKey(followUp));
  });

  test("two different conversations get different keys", () => {
    expect(computeAffinityKey(normalizeAnthropicRequest(sayHi, hoist).value)).not.toBe(
      computeAffinityKey(normalizeAnthropicRequest(followUp, hoist).value),
    );
  });

  test("the billing header does not count, even when normalization left it in", () => {
    const rerun = structuredClone(sayHi);
    const header = rerun.system as TextBlockParam[];
    header[0] = { type: "text", text: header[0]!.text.replace("cc_version=2.1.332.0b8", "cc_version=2.1.332.f41") };
    expect(header[0].text).not.toBe((sayHi.system as TextBlockParam[])[0]!.text);
    expect(computeAffinityKey(rerun)).toBe(computeAffinityKey(sayHi));
    expect(computeAffinityKey(sayHi)).toBe(computeAffinityKey({ ...sayHi, system: (sayHi.system as TextBlockParam[]).slice(1) }));
  });

  test.each<[string, Partial<MessageCreateParams>, Partial<MessageCreateParams>]>([
    ["system as a string or as one text block", { system: "Be brief." }, { system: [{ type: "text", text: "Be brief." }] }],
    [
      "where cache_control sits",
      { messages: [{ role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] }] },
      { messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
    ],
    [
      "cache_control on a non-text block",
      {
        messages: [
          {
            role: "user",
            content: [{ type: "image", source: { type: "url", url: "http://x/a.png" }, cache_control: { type: "ephemeral" } }],
          },
        ],
      },
      { messages: [{ role: "user", content: [{ type: "image", source: { type: "url", url: "http://x/a.png" } }] }] },
    ],
    [
      "user content as a string or as a text block",
      { messages: [{ role: "user", content: "hi" }] },
      { messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
    ],
    [
      "later turns",
      { messages: [{ role: "user", content: "hi" }] },
      {
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
          { role: "user", content: "more" },
        ],
      },
    ],
    [
      "billing-header lines anywhere in the system text",
      { system: "A\nB" },
      { system: "A\nx-anthropic-billing-header: cc_version=1; cch=2;\nB" },
    ],
    [
      "tool descriptions",
      { tools: [{ name: "Read", description: "Reads a file.", input_schema: { type: "object" } }] },
      { tools: [{ name: "Read", description: "Reads a file, v2.", input_schema: { type: "object" } }] },
    ],
    [
      "model and sampling settings",
      { model: "claude-opus-5-5", temperature: 0 },
      { model: "claude-haiku-5-5", temperature: 1, max_tokens: 5 },
    ],
  ])("the same key regardless of %s", (_name, one, other) => {
    expect(computeAffinityKey(small(one))).toBe(computeAffinityKey(small(other)));
  });

  test.each<[string, Partial<MessageCreateParams>]>([
    ["system text", { system: "Be thorough." }],
    [
      "tool name",
      {
        tools: [
          { name: "Write", description: "Reads a file.", input_schema: { type: "object", properties: { path: { type: "string" } } } },
        ],
      },
    ],
    [
      "tool schema",
      {
        tools: [{ name: "Read", description: "Reads a file.", input_schema: { type: "object", properties: { file: { type: "string" } } } }],
      },
    ],
    ["no tools", { tools: [] }],
    ["first user turn", { messages: [{ role: "user", content: "hello" }] }],
    [
      "environment note after the first turn",
      {
        messages: [
          { role: "user", content: "hi" },
          { role: "system", content: "cwd: /tmp" },
        ],
      },
    ],
    [
      "split of the same characters",
      {
        system: [
          { type: "text", text: "Be" },
          { type: "text", text: " brief." },
        ],
      },
    ],
  ])("a different %s gives a different key", (_name, change) => {
    expect(computeAffinityKey(small(change))).not.toBe(computeAffinityKey(small()));
  });

  test("a request with no system, no tools and one message still has a key", () => {
    expect(computeAffinityKey({ messages: [{ role: "user", content: "hi" }] })).toMatch(/^[0-9a-f]{64}$/);
  });
});
