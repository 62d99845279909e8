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
  ])("%s", (_case, patch, expected) => {
    expect(messageFor(validateMessageCreate, { ...VALID, ...patch })).toBe(expected);
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
