import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/config/config-error";
import { loadConfig } from "../../../src/config/load-config";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-prompt-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string, env: Record<string, string> = {}) {
  const file = join(dir, "config.yaml");
  writeFileSync(file, yaml);
  return loadConfig({ file, env, flags: {} });
}

test("defaults: off, no tier by route, no rules, the rarely needed tools to defer", () => {
  expect(load("{}\n").prompt).toEqual({
    tier: "off",
    tierByRoute: {},
    deferTools: ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"],
    rules: [],
  });
});

test("a tier and tiers by route from the file, the tier from the environment", () => {
  const config = load("prompt:\n  tier: safe\n  tierByRoute:\n    background: aggressive\n", { ANYCLAUDE_PROMPT__TIER: "moderate" });
  expect(config.prompt.tier).toBe("moderate");
  expect(config.prompt.tierByRoute).toEqual({ background: "aggressive" });
});

test("every bad rule is listed by path", () => {
  let error: unknown;
  try {
    load(`prompt:
  tier: extreme
  rules:
    - action: drop
    - tool: Bash
      heading: Git
      action: drop
    - tool: Bash
      action: replace
      text: x
    - heading: Memory
      action: replace
    - pattern: "(unclosed"
      action: drop
`);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const issues = Object.fromEntries((error as ConfigError).issues.map((issue) => [issue.path, issue.message]));
  expect(issues).toMatchObject({
    "prompt.tier": 'expected one of off, safe, moderate, aggressive, found "extreme"',
    "prompt.rules[0]": "give exactly one of tool, heading, pattern; found 0",
    "prompt.rules[1]": "give exactly one of tool, heading, pattern; found 2",
    "prompt.rules[2].action": 'a tool rule is drop or keep, found "replace"',
    "prompt.rules[3].text": "missing; `replace` needs the text",
  });
  expect(issues["prompt.rules[4].pattern"]).toStartWith("not a regular expression: ");
});
