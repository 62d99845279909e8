import { describe, expect, test } from "bun:test";
import type { MessageCreateParams, ToolParam } from "../../../src/protocol/anthropic/messages";
import { addProxyToolsToRequest } from "../../../src/proxy-tools/add-proxy-tools-to-request";
import { type ProxyTool, textOutput } from "../../../src/proxy-tools/proxy-tool";

function tool(name: string): ProxyTool {
  return {
    name,
    description: `${name} tool`,
    inputSchema: { type: "object" },
    idempotent: false,
    timeoutMs: 1000,
    metricsLabel: name,
    run: async () => textOutput("ok"),
    describeCall: (id, input) => ({ type: "server_tool_use", id, name, input: input as Record<string, unknown> }),
    describeResult: (id, output) => ({ type: "mcp_tool_result", tool_use_id: id, is_error: output.isError, content: output.content }),
  };
}

const bash: ToolParam = { name: "Bash", input_schema: { type: "object" } };
const base: MessageCreateParams = { model: "m", max_tokens: 10, messages: [{ role: "user", content: "hi" }], tools: [bash] };

describe("addProxyToolsToRequest", () => {
  test("the proxy's tools follow the client's, as plain function tools", () => {
    const { value, warnings } = addProxyToolsToRequest(base, [tool("mcp__docs__search")]);
    expect(value.request.tools).toEqual([
      bash,
      { name: "mcp__docs__search", description: "mcp__docs__search tool", input_schema: { type: "object" } },
    ]);
    expect(value.offered.map((offered) => offered.name)).toEqual(["mcp__docs__search"]);
    expect(warnings).toEqual([]);
    expect(base.tools).toEqual([bash]);
  });

  test("a client tool of the same name wins, with a warning", () => {
    const { value, warnings } = addProxyToolsToRequest(base, [tool("Bash")]);
    expect(value.request.tools).toEqual([bash]);
    expect(value.offered).toEqual([]);
    expect(warnings.map((warning) => warning.code)).toEqual(["proxy-tool-shadowed"]);
  });

  test("tool_choice none keeps the proxy's tools out", () => {
    const { value } = addProxyToolsToRequest({ ...base, tool_choice: { type: "none" } }, [tool("mcp__docs__search")]);
    expect(value.offered).toEqual([]);
    expect(value.request.tools).toEqual([bash]);
  });

  test("the entries of served tool types are taken out; others stay", () => {
    const toolset = { type: "mcp_toolset", mcp_server_name: "docs" } as unknown as ToolParam;
    expect(
      addProxyToolsToRequest({ ...base, tools: [bash, toolset] }, [], { servedToolTypes: ["mcp_toolset"] }).value.request.tools,
    ).toEqual([bash]);
    expect(addProxyToolsToRequest({ ...base, tools: [bash, toolset] }, []).value.request.tools).toEqual([bash, toolset]);
  });
});
