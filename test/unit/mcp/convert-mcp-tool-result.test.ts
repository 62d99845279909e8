import { expect, test } from "bun:test";
import { convertMcpToolResult } from "../../../src/mcp/convert-mcp-tool-result";
import { toMcpToolName } from "../../../src/proxy-tools/mcp-tool-name";

test.each([
  [{ content: [{ type: "text", text: "Echo: hi" }] }, ["Echo: hi"], false],
  [{ content: [{ type: "text", text: "no" }], isError: true }, ["no"], true],
  [{ content: [{ type: "image", data: "AAAA", mimeType: "image/png" }] }, ["[image image/png, 3 bytes, not shown]"], false],
  [{ content: [{ type: "resource", resource: { uri: "file:///a.txt", text: "body" } }] }, ["body"], false],
  [
    { content: [{ type: "resource", resource: { uri: "file:///a.bin", blob: "AA==" } }] },
    ["[resource file:///a.bin (binary), not shown]"],
    false,
  ],
  [{ content: [{ type: "resource_link", uri: "file:///b", name: "b" }] }, ["[resource b file:///b]"], false],
  [{ content: [], structuredContent: { sum: 5 } }, ['{"sum":5}'], false],
  [{ content: [] }, ["(the tool returned nothing)"], false],
] as const)("convertMcpToolResult(%j)", (result, texts, isError) => {
  expect(convertMcpToolResult(result as never)).toEqual({ content: texts.map((text) => ({ type: "text", text })), isError });
});

test.each([
  ["docs", "search", "mcp__docs__search"],
  ["my server", "get.page", "mcp__my_server__get_page"],
  ["everything", "get-sum", "mcp__everything__get-sum"],
])("toMcpToolName(%j, %j) = %j", (server, tool, name) => {
  expect(toMcpToolName(server, tool)).toBe(name);
});

test("a name past 64 characters is cut and keeps apart from its neighbours by a hash", () => {
  const a = toMcpToolName("server", "a".repeat(80));
  const b = toMcpToolName("server", `${"a".repeat(79)}b`);
  expect(a).toHaveLength(64);
  expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(a).not.toBe(b);
});
