/**
 * Golden tests for prompt slimming: every request recorded from Claude Code 2.1.332 at every
 * tier, as `anyclaude prompt show` prints it (the system prompt and tool prose the engine reads,
 * then each removal). The expected files are in test/fixtures/prompt-slimming, one per request
 * and tier; `UPDATE_GOLDEN=1 bun test test/golden` rewrites them on purpose: review the diff.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROMPT_TIERS } from "../../src/config/prompt-config-schema";
import { formatSlimmedPrompt } from "../../src/prompt/format-slimmed-prompt";
import { PromptOptimizer } from "../../src/prompt/prompt-optimizer";
import { normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { UPDATE_GOLDEN } from "./golden-cases";

const EXPECTED_DIR = join(import.meta.dir, "../fixtures/prompt-slimming");
/** The configured defaults: no rules, the default list of tools to defer. */
const DEFER_TOOLS = ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"];

describe.each(readClaudeCodeRequests().map((request) => [request.name, request] as const))("%s", (name, recorded) => {
  const request = normalizeAnthropicRequest(recorded.body, { stripBillingHeader: true, systemMessages: "hoist" }).value;

  test.each(PROMPT_TIERS.map((tier) => [tier]))("%s", (tier) => {
    const slimmed = new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS }).slim(request, tier);
    expect(slimmed.gateFailure).toBeUndefined();
    const actual = formatSlimmedPrompt(slimmed);
    const file = join(EXPECTED_DIR, `${name}.${tier}.txt`);
    if (UPDATE_GOLDEN) writeFileSync(file, actual);
    if (!existsSync(file)) throw new Error(`${file} is missing (run with UPDATE_GOLDEN=1 and review it)`);
    expect(actual).toBe(readFileSync(file, "utf8"));
  });
});
