import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConversationMemo } from "../../../src/json/conversation-memo";
import type { MessageCreateParams, MessageParam, ToolParam } from "../../../src/protocol/anthropic/messages";
import { findLoadedDeferredTools } from "../../../src/tool-calls/find-loaded-deferred-tools";
import { convertAnthropicRequestToOpenAIChat } from "../../../src/translate/convert-anthropic-request-to-openai-chat";
import { declareLoadedDeferredTools } from "../../../src/translate/declare-loaded-deferred-tools";
import { normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";
import { CLAUDE_CODE_FIXTURES_DIR } from "../../support/claude-code-fixtures";

const schema = { type: "object", properties: { url: { type: "string" } } };
const readRecorded = (name: string) =>
  JSON.parse(readFileSync(join(CLAUDE_CODE_FIXTURES_DIR, `${name}.body.json`), "utf8")) as MessageCreateParams;

function toolSearchTurn(id: string, query: string, content: unknown): MessageParam[] {
  return [
    { role: "assistant", content: [{ type: "tool_use", id, name: "ToolSearch", input: { query } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: content as never }] },
  ];
}

describe("findLoadedDeferredTools", () => {
  test("tool_reference blocks, as Claude Code 2.1.332 sends them, in load order, each once", () => {
    const messages = [
      ...toolSearchTurn("t1", "select:WebFetch", [{ type: "tool_reference", tool_name: "WebFetch" }]),
      ...toolSearchTurn("t2", "select:CronList,WebFetch", [
        { type: "tool_reference", tool_name: "CronList" },
        { type: "tool_reference", tool_name: "WebFetch" },
      ]),
    ];
    expect(findLoadedDeferredTools(messages).names).toEqual(["WebFetch", "CronList"]);
  });

  test("a <functions> block in a ToolSearch result carries the schema; elsewhere it is data", () => {
    const line = `<functions>\n<function>${JSON.stringify({ description: "Fetch a URL", name: "WebFetch", parameters: schema })}</function>\n</functions>`;
    const loaded = findLoadedDeferredTools(toolSearchTurn("t1", "select:WebFetch", [{ type: "text", text: line }]));
    expect(loaded.names).toEqual(["WebFetch"]);
    expect(loaded.schemas.get("WebFetch")).toEqual({ name: "WebFetch", description: "Fetch a URL", input_schema: schema });
    const read: MessageParam[] = [
      { role: "assistant", content: [{ type: "tool_use", id: "r1", name: "Read", input: { file_path: "notes.md" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "r1", content: [{ type: "text", text: line }] }] },
    ];
    expect(findLoadedDeferredTools(read).names).toEqual([]);
  });
});

describe("declareLoadedDeferredTools", () => {
  const tools: ToolParam[] = [
    { name: "Bash", input_schema: schema },
    { name: "WebFetch", input_schema: schema, defer_loading: true },
    { name: "Write", input_schema: schema },
    { name: "DeferredToolPlaceholder", input_schema: { type: "object" }, defer_loading: true },
  ];

  test("a loaded deferred tool is declared after the others, without defer_loading; the rest are dropped", () => {
    const messages = toolSearchTurn("t1", "select:WebFetch", [{ type: "tool_reference", tool_name: "WebFetch" }]);
    const { value, warnings } = declareLoadedDeferredTools(tools, findLoadedDeferredTools(messages));
    expect(value).toEqual([tools[0]!, tools[2]!, { name: "WebFetch", input_schema: schema }]);
    expect(warnings.map((warning) => `${warning.code} @ ${warning.path}`)).toEqual(["dropped-tool @ tools[3]"]);
  });

  test("without a ToolSearch result nothing changes: deferred tools are dropped as before", () => {
    const { value, warnings } = declareLoadedDeferredTools(tools, findLoadedDeferredTools([{ role: "user", content: "hi" }]));
    expect(value.map((tool) => tool.name)).toEqual(["Bash", "Write"]);
    expect(warnings).toHaveLength(2);
  });

  test("a tool only the <functions> block describes is declared from it", () => {
    const line = `<function>${JSON.stringify({ description: "List cron jobs", name: "CronList", parameters: { type: "object" } })}</function>`;
    const { value } = declareLoadedDeferredTools(
      tools,
      findLoadedDeferredTools(toolSearchTurn("t1", "select:CronList", [{ type: "text", text: line }])),
    );
    expect(value.at(-1)).toEqual({ name: "CronList", description: "List cron jobs", input_schema: { type: "object" } });
  });

  test("the request Claude Code 2.1.332 sent after ToolSearch loaded WebFetch: WebFetch reaches the engine, last", () => {
    const recorded = readRecorded("cc-2.1.332_p-toolsearch-webfetch_followup");
    expect(recorded.tools!.map((tool) => tool.name).indexOf("WebFetch")).toBeLessThan(recorded.tools!.length - 2);
    const normalized = normalizeAnthropicRequest(recorded, { stripBillingHeader: true, systemMessages: "hoist" });
    const chat = convertAnthropicRequestToOpenAIChat(normalized.value, { thinkingStyle: "chat_template_kwargs", stream: true }).value;
    expect(chat.tools!.at(-1)!.function.name).toBe("WebFetch");
    const toolMessage = chat.messages.find((message) => message.role === "tool");
    expect(toolMessage).toMatchObject({ content: "Tool loaded: WebFetch" });
  });

  test("a resent tool list is cleaned once per load: the same frozen list comes back while the load is the same", () => {
    const memo = new ConversationMemo();
    const options = { stripBillingHeader: true, systemMessages: "hoist" } as const;
    for (const name of ["cc-2.1.332_p-say-hi_stream", "cc-2.1.332_p-toolsearch-webfetch_followup"]) {
      const body = readFileSync(join(CLAUDE_CODE_FIXTURES_DIR, `${name}.body.json`));
      const [first, second] = [0, 1].map(
        () => normalizeAnthropicRequest(memo.parser.parse(body) as MessageCreateParams, options, memo).value,
      );
      expect(second!.tools).toBe(first!.tools!);
      expect(Object.isFrozen(first!.tools)).toBe(true);
    }
    const recorded = readRecorded("cc-2.1.332_p-toolsearch-webfetch_followup");
    const frozen = memo.parser.parse(new TextEncoder().encode(JSON.stringify(recorded))) as MessageCreateParams;
    const withLoad = normalizeAnthropicRequest(frozen, options, memo).value.tools!;
    const withoutLoad = normalizeAnthropicRequest({ ...frozen, messages: [{ role: "user", content: "hi" }] }, options, memo).value.tools!;
    expect(withLoad.map((tool) => tool.name)).toContain("WebFetch");
    expect(withoutLoad.map((tool) => tool.name)).not.toContain("WebFetch");
  });
});
