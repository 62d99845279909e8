/**
 * `anyclaude prompt show` in-process through runCli, on Claude Code's recorded request read from
 * standard input: the text report, the `--json` object and its exact keys, the config's tier and
 * rules, and every usage or input mistake with its status.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../src/cli/run-cli";
import { formatSlimmedPrompt } from "../../../src/prompt/format-slimmed-prompt";
import { PromptOptimizer } from "../../../src/prompt/prompt-optimizer";
import { normalizeAnthropicRequest } from "../../../src/translate/normalize-anthropic-request";
import { CLAUDE_CODE_FIXTURES_DIR, readClaudeCodeRequests } from "../../support/claude-code-fixtures";

const home = mkdtempSync(join(tmpdir(), "anyclaude-prompt-cli-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const RECORDED = readClaudeCodeRequests().find((request) => request.name === "cc-2.1.332_p-say-hi_stream")!;
const BODY = await Bun.file(join(CLAUDE_CODE_FIXTURES_DIR, "cc-2.1.332_p-say-hi_stream.body.json")).text();
const DEFER_TOOLS = ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"];

async function run(args: string[], stdin: string | undefined = BODY) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(["prompt", ...args], {
    env: { HOME: home },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTerminal: false,
    readStdin: stdin === undefined ? undefined : async () => stdin,
  });
  return { status, stdout, stderr };
}

const normalized = () => normalizeAnthropicRequest(RECORDED.body, { stripBillingHeader: true, systemMessages: "hoist" }).value;

test("show prints the slimmed prompt and every removal, as the golden files hold it", async () => {
  const { status, stdout, stderr } = await run(["show", "--tier", "moderate"]);
  expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
  expect(stdout).toBe(formatSlimmedPrompt(new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS }).slim(normalized(), "moderate")));
  expect(stdout).toStartWith("tier moderate: 11687 -> ");
});

test("--json prints one object with exactly tier, before, after, request and removed", async () => {
  const { status, stdout } = await run(["show", "--tier", "aggressive", "--json"]);
  expect(status).toBe(0);
  const printed = JSON.parse(stdout) as Record<string, unknown>;
  expect(Object.keys(printed)).toEqual(["tier", "before", "after", "request", "removed"]);
  const slimmed = new PromptOptimizer({ rules: [], deferTools: DEFER_TOOLS }).slim(normalized(), "aggressive");
  expect(printed).toEqual(
    JSON.parse(
      JSON.stringify({
        tier: "aggressive",
        before: slimmed.before,
        after: slimmed.after,
        request: slimmed.request,
        removed: slimmed.removed,
      }),
    ),
  );
  expect(stdout.trimEnd().split("\n")).toHaveLength(1);
});

test("without --tier the configured tier and rules apply", async () => {
  const config = join(home, "config.yaml");
  writeFileSync(config, "prompt:\n  tier: safe\n  rules:\n    - heading: Memory\n      action: drop\n");
  const { status, stdout } = await run(["show", "--config", config, "--json"]);
  expect(status).toBe(0);
  const printed = JSON.parse(stdout) as { tier: string; removed: Array<{ reason: string; text?: string }> };
  expect(printed.tier).toBe("safe");
  expect(printed.removed.filter((removal) => removal.reason === "rule").map((removal) => removal.text?.split("\n")[0])).toContain(
    "# Memory",
  );
});

test.each([
  [["show", "--tier", "extreme"], 2, "anyclaude: prompt show: --tier must be one of off, safe, moderate, aggressive, not 'extreme'"],
  [["show", "--frob"], 2, "anyclaude: prompt show: unknown option '--frob'"],
  [["list"], 2, "anyclaude: prompt: unknown action 'list'"],
  [[], 2, "anyclaude: prompt: missing action (show)"],
] as const)("%p is a usage error", async (args, expected, message) => {
  const { status, stderr } = await run([...args]);
  expect(status).toBe(expected);
  expect(stderr).toStartWith(message);
});

test.each([
  ["not JSON", "{", "anyclaude: prompt show: the request on standard input is not a valid Messages request: JSON Parse error"],
  ["not a Messages request", '{"model":"m"}', "anyclaude: prompt show: the request on standard input is not a valid Messages request: "],
])("a request that is %s fails with status 1", async (_case, stdin, message) => {
  const { status, stderr } = await run(["show"], stdin);
  expect(status).toBe(1);
  expect(stderr).toStartWith(message);
});

test("--help and help prompt describe the command", async () => {
  expect((await run(["show", "--help"])).stdout).toStartWith("Usage: anyclaude prompt show [--tier TIER] [--json]");
  expect((await run(["--help"])).stdout).toStartWith("Usage: anyclaude prompt show");
});
