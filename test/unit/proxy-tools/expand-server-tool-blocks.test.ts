import { describe, expect, test } from "bun:test";
import type { MessageParam } from "../../../src/protocol/anthropic/messages";
import { expandServerToolBlocks } from "../../../src/proxy-tools/expand-server-tool-blocks";

const use = { type: "mcp_tool_use", id: "mcptoolu_1", name: "search", server_name: "docs", input: { q: "bun" } };
const result = { type: "mcp_tool_result", tool_use_id: "mcptoolu_1", is_error: false, content: [{ type: "text", text: "found" }] };

describe("expandServerToolBlocks", () => {
  test("a conversation without such blocks comes back as the same array", () => {
    const messages: MessageParam[] = [{ role: "user", content: [{ type: "text", text: "hi" }] }];
    expect(expandServerToolBlocks(messages)).toBe(messages);
  });

  test("an assistant turn is split after its results: call, result turn, then the text that followed", () => {
    const messages = [
      { role: "assistant", content: [{ type: "text", text: "Let me look." }, use, result, { type: "text", text: "It says found." }] },
    ];
    expect(expandServerToolBlocks(messages as unknown as MessageParam[])).toEqual([
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me look." },
          { type: "tool_use", id: "mcptoolu_1", name: "mcp__docs__search", input: { q: "bun" } },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "mcptoolu_1", content: [{ type: "text", text: "found" }], is_error: false }],
      },
      { role: "assistant", content: [{ type: "text", text: "It says found." }] },
    ]);
  });

  test("text split at its citations reads as the one text the model wrote, without them, searched this turn or not", () => {
    const citation = { type: "web_search_result_location", url: "https://bun.sh", title: "Bun", encrypted_index: "x", cited_text: "…" };
    const answer = [
      { type: "text", text: "Bun 1.3 is out", citations: [citation] },
      { type: "text", text: ", and fast", citations: [citation] },
      { type: "text", text: "." },
    ];
    expect(expandServerToolBlocks([{ role: "assistant", content: answer }] as unknown as MessageParam[])).toEqual([
      { role: "assistant", content: [{ type: "text", text: "Bun 1.3 is out, and fast." }] },
    ]);
  });

  test("a client's call beside the proxy's stays in the same assistant turn; the proxy's result follows it", () => {
    const bash = { type: "tool_use", id: "toolu_2", name: "Bash", input: {} };
    const expanded = expandServerToolBlocks([{ role: "assistant", content: [use, bash, result] }] as unknown as MessageParam[]);
    expect(expanded.map((message) => [message.role, (message.content as Array<{ type: string }>).map((block) => block.type)])).toEqual([
      ["assistant", ["tool_use", "tool_use"]],
      ["user", ["tool_result"]],
    ]);
  });

  test("server_tool_use keeps its name; another server tool's result is read as its JSON unless a reader is given", () => {
    const search = { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "bun" } };
    const found = {
      type: "web_search_tool_result",
      tool_use_id: "srvtoolu_1",
      content: [{ type: "web_search_result", url: "https://bun.sh", title: "Bun" }],
    };
    const messages = [{ role: "assistant", content: [search, found] }] as unknown as MessageParam[];
    const [call, results] = expandServerToolBlocks(messages);
    expect(call!.content).toEqual([{ type: "tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "bun" } }]);
    expect(results!.content).toEqual([
      { type: "tool_result", tool_use_id: "srvtoolu_1", content: JSON.stringify(found.content), is_error: false },
    ]);
    const [, read] = expandServerToolBlocks(messages, { web_search_tool_result: () => ({ content: "Bun — https://bun.sh" }) });
    expect(read!.content).toEqual([{ type: "tool_result", tool_use_id: "srvtoolu_1", content: "Bun — https://bun.sh" }]);
  });

  test("an error result stays an error", () => {
    const failed = { ...result, is_error: true, content: "the server stopped" };
    const [, results] = expandServerToolBlocks([{ role: "assistant", content: [use, failed] }] as unknown as MessageParam[]);
    expect(results!.content).toEqual([{ type: "tool_result", tool_use_id: "mcptoolu_1", content: "the server stopped", is_error: true }]);
  });
});
