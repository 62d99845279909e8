import { describe, expect, test } from "bun:test";
import { findGateFailure, isSameApartFromDescriptions } from "../../../src/prompt/check-slimmed-prompt";
import type { SlimmedParts } from "../../../src/prompt/slim-prompt";
import type { ToolParam } from "../../../src/protocol/anthropic/messages";

const bash: ToolParam = {
  name: "Bash",
  description: "Runs a command. At length.",
  input_schema: {
    type: "object",
    properties: { command: { type: "string", description: "The command, in full." }, description: { type: "string" } },
    required: ["command"],
  },
};
const agent: ToolParam = { name: "Agent", description: "Starts an agent.", input_schema: { type: "object", properties: {} } };
const original = { system: "Today's date is 2026-11-27.\n\nLong words.", tools: [bash, agent] };

function slimmed(overrides: Partial<SlimmedParts> = {}): SlimmedParts {
  return {
    system: "Today's date is 2026-11-27.",
    tools: [{ ...bash, description: "Runs a command." }, agent],
    removed: [],
    markers: [{ text: "Today's date is 2026-11-27." }, { tool: "Bash", text: "The command, in full." }],
    dropped: [],
    deferred: [],
    warnings: [],
    ...overrides,
  };
}

const tokens = { before: 100, after: 80 };

describe("findGateFailure", () => {
  test("passes a prompt that kept every marker and every schema", () => {
    expect(findGateFailure(original, slimmed(), tokens)).toBeUndefined();
  });

  test.each([
    ["longer than before", slimmed(), { before: 80, after: 81 }, "the slimmed prompt is longer (81 > 80 tokens)"],
    [
      "a system marker missing",
      slimmed({ system: "Long words." }),
      tokens,
      'a critical part of the system prompt is missing: "Today\'s date is 2026-11-27."',
    ],
    [
      "a tool marker missing",
      slimmed({
        tools: [
          {
            ...bash,
            input_schema: {
              ...bash.input_schema,
              properties: { command: { type: "string", description: "Cmd." }, description: { type: "string" } },
            },
          },
          agent,
        ],
      }),
      tokens,
      'a critical part of tool Bash is missing: "The command, in full."',
    ],
    [
      "a type changed",
      slimmed({ markers: [], tools: [{ ...bash, input_schema: { ...bash.input_schema, required: [] } }, agent] }),
      tokens,
      "tool Bash changed beyond its descriptions",
    ],
    ["a tool lost", slimmed({ tools: [{ ...bash, description: "Runs a command." }] }), tokens, "tool Agent is missing"],
    [
      "a deferred tool not named",
      slimmed({ tools: [{ ...bash, description: "Runs a command." }], deferred: ["Agent"] }),
      tokens,
      "deferred tool Agent is not named in the system prompt",
    ],
  ] as const)("fails on %s", (_case, parts, measured, reason) => {
    expect(findGateFailure(original, parts, measured)).toBe(reason);
  });

  test("a tool dropped by a rule or deferred (and named) is not missing", () => {
    const system = "Today's date is 2026-11-27. Also deferred: Agent";
    expect(findGateFailure(original, slimmed({ system, tools: [bash], deferred: ["Agent"], markers: [] }), tokens)).toBeUndefined();
    expect(findGateFailure(original, slimmed({ tools: [bash], dropped: ["Agent"], markers: [] }), tokens)).toBeUndefined();
  });
});

describe("isSameApartFromDescriptions", () => {
  test.each([
    [{ type: "string", description: "Long." }, { type: "string", description: "L." }, true],
    [{ properties: { description: { type: "string" } } }, { properties: { description: { type: "number" } } }, false],
    [{ type: "string", description: "x" }, { type: "string" }, false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, false],
    [{ enum: ["a", "b"] }, { enum: ["a"] }, false],
    [{ items: [{ description: "x" }] }, { items: [{ description: "y" }] }, true],
  ])("%p vs %p -> %p", (a, b, expected) => {
    expect(isSameApartFromDescriptions(a, b)).toBe(expected);
  });
});
