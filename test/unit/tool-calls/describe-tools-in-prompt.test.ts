import { describe, expect, test } from "bun:test";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import { describeToolsInPrompt } from "../../../src/tool-calls/describe-tools-in-prompt";
import { CASE_TOOLS } from "../../support/text-form-calls";

const request: MessageCreateParams = {
  model: "m",
  max_tokens: 100,
  system: "You are Claude Code.",
  tools: CASE_TOOLS,
  tool_choice: { type: "auto" },
  messages: [
    { role: "user", content: "List the files." },
    {
      role: "assistant",
      content: [
        { type: "text", text: "Listing." },
        { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "a.ts" }] },
        { type: "tool_result", tool_use_id: "toolu_2", content: "denied", is_error: true },
      ],
    },
  ],
};

describe("describeToolsInPrompt", () => {
  const rewritten = describeToolsInPrompt(request, { singleCall: false });

  test("the engine gets no tools; the system prompt ends with them, in the Hermes / Qwen layout", () => {
    expect(rewritten).not.toHaveProperty("tools");
    expect(rewritten).not.toHaveProperty("tool_choice");
    const system = rewritten.system as Array<{ text: string }>;
    expect(system[0]!.text).toBe("You are Claude Code.");
    const section = system.at(-1)!.text;
    expect(section).toStartWith("# Tools\n\nYou may call one or more functions");
    expect(section).toContain(
      '{"type":"function","function":{"name":"Bash","description":"Run a shell command.","parameters":{"type":"object"',
    );
    expect(section).not.toContain("$schema");
    expect(section).toContain('<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>');
  });

  test("earlier calls and results become the text the model would have written and read", () => {
    expect(rewritten.messages[1]!.content).toEqual([
      { type: "text", text: "Listing." },
      { type: "text", text: '<tool_call>\n{"name":"Bash","arguments":{"command":"ls"}}\n</tool_call>' },
    ]);
    expect(rewritten.messages[2]!.content).toEqual([
      { type: "text", text: "<tool_response>\na.ts\n</tool_response>" },
      { type: "text", text: "<tool_response>\nError: denied\n</tool_response>" },
    ]);
    expect(rewritten.messages[0]).toBe(request.messages[0]!);
  });

  test("tool_choice and single-call mode become instructions; tool_choice none leaves the tools out", () => {
    const forced = describeToolsInPrompt({ ...request, tool_choice: { type: "tool", name: "Read" } }, { singleCall: true });
    const section = (forced.system as Array<{ text: string }>).at(-1)!.text;
    expect(section).toEndWith("You must call the function Read.\n\nCall at most one function per answer.");
    const none = describeToolsInPrompt({ ...request, tool_choice: { type: "none" } }, { singleCall: false });
    expect(none.system).toBe("You are Claude Code.");
    expect(none).not.toHaveProperty("tools");
  });
});
