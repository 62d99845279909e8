import { describe, expect, test } from "bun:test";
import { deepFreeze } from "../../../src/json/deep-freeze";
import { PromptOptimizer } from "../../../src/prompt/prompt-optimizer";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import { normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";

const DEFER = ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"];

function claudeCodeRequest(): MessageCreateParams {
  const recorded = readClaudeCodeRequests().find((request) => request.name === "cc-2.1.332_p-say-hi_stream")!;
  return normalizeAnthropicRequest(recorded.body, { stripBillingHeader: true, systemMessages: "hoist" }).value;
}

const optimizer = (memoEntries?: number) => new PromptOptimizer({ rules: [], deferTools: DEFER, memoEntries });

describe("PromptOptimizer", () => {
  test("off sends the request as it came", () => {
    const request = claudeCodeRequest();
    const slimmed = optimizer().slim(request, "off");
    expect(slimmed.request).toBe(request);
    expect(slimmed.before).toBe(slimmed.after);
    expect(slimmed.removed).toEqual([]);
  });

  test("the same prompt becomes the same bytes, from the memo (the very same objects) or afresh", () => {
    const first = optimizer();
    const a = first.slim(claudeCodeRequest(), "moderate");
    const b = first.slim(claudeCodeRequest(), "moderate");
    expect(b.request.tools).toBe(a.request.tools!);
    expect(b.request.system).toBe(a.request.system!);
    const fresh = optimizer().slim(claudeCodeRequest(), "moderate");
    expect(JSON.stringify(fresh.request)).toBe(JSON.stringify(a.request));
    expect(a.after).toBeLessThan(a.before);
  });

  test("the memo is bounded: the least recently used prompt goes first", () => {
    const memo = optimizer(2);
    const request = claudeCodeRequest();
    const variant = (text: string): MessageCreateParams => ({ ...request, system: [{ type: "text", text }] });
    const a = memo.slim(variant("Prompt A."), "safe");
    const b = memo.slim(variant("Prompt B."), "safe");
    expect(memo.slim(variant("Prompt A."), "safe").request.tools).toBe(a.request.tools!); // A is now the most recent
    memo.slim(variant("Prompt C."), "safe"); // evicts B
    expect(memo.slim(variant("Prompt A."), "safe").request.tools).toBe(a.request.tools!);
    expect(memo.slim(variant("Prompt B."), "safe").request.tools).not.toBe(b.request.tools!);
  });

  test("a prompt the gate refuses goes out untouched, with the reason", () => {
    const request = claudeCodeRequest();
    const slimmed = new PromptOptimizer({
      rules: [{ heading: "Memory", action: "replace", text: "Remember everything. ".repeat(4000) }],
      deferTools: DEFER,
    }).slim(request, "moderate");
    expect(slimmed.request).toBe(request);
    expect(slimmed.gateFailure).toMatch(/^the slimmed prompt is longer \(\d+ > \d+ tokens\)$/);
    expect(slimmed.after).toBe(slimmed.before);
  });

  test("frozen in, frozen out; a request that is not frozen stays unfrozen", () => {
    const frozen = optimizer().slim(deepFreeze(claudeCodeRequest()), "aggressive");
    expect(Object.isFrozen(frozen.request.tools![0]!.input_schema)).toBe(true);
    const request = claudeCodeRequest();
    const plain = optimizer().slim(request, "aggressive");
    expect(Object.isFrozen(plain.request.tools)).toBe(false);
    expect(Object.isFrozen(request.tools![1]!.input_schema)).toBe(false);
  });

  test("aggressive defers the listed tools, but not one the conversation loaded or tool_choice names", () => {
    const request = claudeCodeRequest();
    const names = (slimmed: { request: MessageCreateParams }) => slimmed.request.tools!.map((tool) => tool.name);
    expect(names(optimizer().slim(request, "aggressive"))).toEqual(["Bash", "Edit", "Read", "ToolSearch", "Write"]);
    const loaded: MessageCreateParams = {
      ...request,
      tool_choice: { type: "tool", name: "Skill" },
      messages: [
        ...request.messages,
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "ToolSearch", input: { query: "select:Agent" } }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "tool_reference", tool_name: "Agent" } as never] }],
        },
      ],
    };
    const slimmed = optimizer().slim(loaded, "aggressive");
    expect(names(slimmed)).toEqual(["Agent", "Bash", "Edit", "Read", "Skill", "ToolSearch", "Write"]);
    expect(slimmed.deferred).toEqual(["ListAgents", "ReportFindings", "ScheduleWakeup", "Workflow"]);
    const system = (slimmed.request.system as Array<{ text: string }>).map((block) => block.text).join("\n");
    expect(system).toContain(
      'Also deferred (load with ToolSearch, query "select:<name>[,<name>...]", before calling): ListAgents, ReportFindings, ScheduleWakeup, Workflow',
    );
  });

  test("a tool rule drops or keeps a tool as it came", () => {
    const request = claudeCodeRequest();
    const slimmed = new PromptOptimizer({
      rules: [
        { tool: "Workflow", action: "drop" },
        { tool: "Bash", action: "keep" },
      ],
      deferTools: [],
    }).slim(request, "aggressive");
    const tools = slimmed.request.tools!;
    expect(tools.map((tool) => tool.name)).not.toContain("Workflow");
    expect(tools.find((tool) => tool.name === "Bash")).toBe(request.tools!.find((tool) => tool.name === "Bash")!);
    expect(slimmed.removed).toContainEqual({ path: "tools.Workflow", reason: "rule", chars: expect.any(Number) });
  });
});
