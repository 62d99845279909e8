import { describe, expect, test } from "bun:test";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import { isSideCall } from "../../../src/router/is-side-call";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";

const recorded = readClaudeCodeRequests();
const byName = (part: string) => recorded.find((request) => request.name.includes(part))!.body;
const main = byName("p-say-hi");

/** The billing line of a subagent's turn as Claude Code 2.1.332 sends it (seen with a scripted engine). */
function asSubagentTurn(body: MessageCreateParams): MessageCreateParams {
  const [billing, ...rest] = body.system as Array<{ type: "text"; text: string }>;
  return { ...body, system: [{ ...billing!, text: `${billing!.text} cc_is_subagent=true;` }, ...rest] };
}

describe("isSideCall", () => {
  const cases: Array<[string, MessageCreateParams, boolean]> = [
    ["the main loop's first turn", main, false],
    ["the main loop's tool-result turn", byName("p-bash-tool-result"), false],
    ["the session title (no tools, a JSON schema)", byName("interactive-title"), true],
    ["a subagent's turn", asSubagentTurn(main), true],
    ["the small-fast model", { ...main, model: "claude-haiku-5-5" }, true],
    ["a call without tools (the Bash prefix check)", { ...main, tools: [] }, true],
    [
      "another client's request, even without tools or for haiku",
      { ...main, system: "You are a helper.", tools: [], model: "claude-haiku-5-5" },
      false,
    ],
    ["another client's request without a system prompt", { ...main, system: undefined, tools: [] }, false],
    [
      "a subagent's billing line in a string system prompt",
      { ...main, system: "x-anthropic-billing-header: cc_version=2.1.332.ea8; cc_is_subagent=true;\nYou are an agent." },
      true,
    ],
    [
      "the flag quoted further down is not the billing line",
      { ...main, system: "You are Claude Code.\nx-anthropic-billing-header: cc_is_subagent=true;" },
      false,
    ],
  ];
  for (const [name, request, expected] of cases) {
    test(`${name}: ${expected ? "side call" : "main conversation"}`, () => {
      expect(isSideCall(request)).toBe(expected);
    });
  }
});
