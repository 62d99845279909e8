import { describe, expect, test } from "bun:test";
import { classifySemanticRequest, computeSemanticQuery } from "../../../src/cache/compute-semantic-query";
import { serializeRequestForCache } from "../../../src/cache/serialize-request-for-cache";
import type { MessageCreateParams, MessageParam } from "../../../src/protocol/anthropic/messages";

const TARGET = "local/qwen3";
const schema = { type: "object", properties: { title: { type: "string" } } };

function request(messages: MessageParam[], extra: Partial<MessageCreateParams> = {}): MessageCreateParams {
  return { model: "claude-haiku-5-5", max_tokens: 64, system: "Name the session.", messages, ...extra };
}
const query = (r: MessageCreateParams, target = TARGET) => computeSemanticQuery(r, serializeRequestForCache(r), target);

describe("classifySemanticRequest", () => {
  test("tools make a request `withTools`; without tools a JSON output format makes it a side call, else it is plain", () => {
    expect(classifySemanticRequest({ tools: [{ name: "Bash", input_schema: {} }] })).toBe("withTools");
    expect(classifySemanticRequest({ tools: [], output_config: { format: { type: "json_schema", schema } } })).toBe("sideCall");
    expect(classifySemanticRequest({ output_config: { effort: "low" } })).toBe("plain");
  });
});

describe("computeSemanticQuery", () => {
  const history: MessageParam[] = [
    { role: "user", content: "first question" },
    { role: "assistant", content: "first answer" },
  ];

  test("embeds the last user turn's text blocks; the context hash covers everything before it", () => {
    const a = query(
      request([
        ...history,
        {
          role: "user",
          content: [
            { type: "text", text: "<reminder>" },
            { type: "text", text: "say hi" },
          ],
        },
      ]),
    )!;
    const b = query(request([...history, { role: "user", content: "say hello" }]))!;
    expect(a.text).toBe("<reminder>\nsay hi");
    expect(b.text).toBe("say hello");
    expect(a.contextHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.contextHash).toBe(a.contextHash);
  });

  test("another earlier turn, system prompt, setting or target is another context", () => {
    const base = query(request([...history, { role: "user", content: "say hi" }]))!.contextHash;
    const others = [
      query(request([{ role: "user", content: "other question" }, history[1]!, { role: "user", content: "say hi" }])),
      query(request([...history, { role: "user", content: "say hi" }], { system: "Name it in French." })),
      query(request([...history, { role: "user", content: "say hi" }], { temperature: 0 })),
      query(request([...history, { role: "user", content: "say hi" }]), "local/other-model"),
    ].map((each) => each!.contextHash);
    expect(new Set([base, ...others]).size).toBe(5);
  });

  test("is undefined when the last turn is not the user's plain text", () => {
    expect(
      query(
        request([
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
        ]),
      ),
    ).toBeUndefined();
    expect(query(request([{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] }]))).toBeUndefined();
    expect(
      query(
        request([
          {
            role: "user",
            content: [
              { type: "text", text: "see" },
              { type: "image", source: { type: "url", url: "http://x/y.png" } },
            ],
          },
        ]),
      ),
    ).toBeUndefined();
    expect(query(request([{ role: "user", content: "   " }]))).toBeUndefined();
  });
});
