/** The 400 messages a client reads: each names the field and says what was expected. */
import { describe, expect, test } from "bun:test";
import { InvalidRequestError } from "../../../src/errors/proxy-error";
import { validateCountTokens, validateMessageCreate } from "../../../src/server/validate-message-request";

const VALID = { model: "m", max_tokens: 16, messages: [{ role: "user", content: "hi" }] };

function messageFor(validate: (body: unknown) => unknown, body: unknown): string {
  try {
    validate(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as Error).message;
  }
  throw new Error("expected the body to be rejected");
}

describe("validateMessageCreate", () => {
  test("accepts a minimal request and returns it unchanged", () => {
    expect(validateMessageCreate(VALID)).toBe(VALID as never);
  });

  test.each([
    [
      "an unknown role",
      { messages: [{ role: "bot", content: "x" }] },
      'messages.0.role: expected "user" | "assistant" | "system", got "bot"',
    ],
    [
      "content of the wrong type",
      { messages: [{ role: "user", content: 5 }] },
      "messages.0.content: expected string | an array, got number",
    ],
    ["content null", { messages: [{ role: "user", content: null }] }, "messages.0.content: expected string | an array, got null"],
    [
      "an unknown thinking type",
      { thinking: { type: "maybe" } },
      'thinking.type: expected "enabled" | "adaptive" | "disabled" | "between_tools", got "maybe"',
    ],
    ["thinking enabled without a budget", { thinking: { type: "enabled" } }, "thinking.budget_tokens: Expected required property"],
    ["a named tool_choice without its name", { tool_choice: { type: "tool" } }, "tool_choice.name: Expected required property"],
    [
      "tool_choice as a string",
      { tool_choice: "auto" },
      'tool_choice: expected an object with type "auto" | "any" | "tool" | "none", got "auto"',
    ],
    [
      "a text block without text",
      { messages: [{ role: "user", content: [{ type: "text" }] }] },
      "messages.0.content.0.text: Expected required property",
    ],
    [
      "a tool without a name, beside the MCP connector's toolset form",
      { tools: [{ description: "x" }] },
      "tools.0.name: Expected required property",
    ],
    ["an mcp_toolset without its server", { tools: [{ type: "mcp_toolset" }] }, "tools.0.mcp_server_name: Expected required property"],
    [
      "an mcp_toolset naming no server of mcp_servers",
      { tools: [{ type: "mcp_toolset", mcp_server_name: "docs" }] },
      'tools.0.mcp_server_name: names no server of mcp_servers ("docs")',
    ],
    [
      "an MCP server that is not a URL",
      { mcp_servers: [{ type: "url", url: "ftp://x", name: "a" }] },
      "mcp_servers.0.url: Expected string to match '^https?://'",
    ],
    [
      "two MCP servers of one name",
      {
        mcp_servers: [
          { type: "url", url: "http://x", name: "a" },
          { type: "url", url: "http://y", name: "a" },
        ],
      },
      'mcp_servers.1.name: MCP server names must be unique ("a")',
    ],
  ])("%s", (_case, patch, expected) => {
    expect(messageFor(validateMessageCreate, { ...VALID, ...patch })).toBe(expected);
  });

  test("accepts the MCP connector's servers and toolsets beside plain tools", () => {
    const body = {
      ...VALID,
      mcp_servers: [
        {
          type: "url",
          url: "https://mcp.example/sse",
          name: "docs",
          authorization_token: "t",
          tool_configuration: { allowed_tools: ["search"] },
        },
      ],
      tools: [
        { type: "mcp_toolset", mcp_server_name: "docs", configs: { search: { enabled: true } } },
        { name: "Bash", input_schema: { type: "object" } },
      ],
    };
    expect(validateMessageCreate(body)).toBe(body as never);
  });

  test("a long offending value is shortened in the message", () => {
    const message = messageFor(validateMessageCreate, { ...VALID, messages: [{ role: "x".repeat(10_000), content: "hi" }] });
    expect(message).toBe(`messages.0.role: expected "user" | "assistant" | "system", got "${"x".repeat(40)}…"`);
  });
});

describe("validateCountTokens", () => {
  test("names the field the same way", () => {
    expect(messageFor(validateCountTokens, { model: "m", messages: [{ role: "tool", content: "x" }] })).toBe(
      'messages.0.role: expected "user" | "assistant" | "system", got "tool"',
    );
  });
});
