/**
 * The `prompt` part of the configuration schema: how much to slim Claude Code's system prompt
 * and tool definitions, per route or model group, and the rules that adjust it. Kept apart from
 * config-schema.ts, which composes it, so each file reads as one concern.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import type { ConfigPath } from "./config-path";

/** The tiers, least to most slimming; src/prompt/ reads them from here. */
export const PROMPT_TIERS = ["off", "safe", "moderate", "aggressive"] as const;

export type PromptTier = (typeof PROMPT_TIERS)[number];

const TIER_DESCRIPTION =
  "`off`: untouched; `safe`: whitespace, typography and repeated sections only; `moderate`: also examples, long explanations cut to their first sentence, tool descriptions to their first paragraph (parameters keep theirs); `aggressive`: also every paragraph and parameter description cut to its first sentence, and `deferTools` handed to Claude Code's ToolSearch. Critical parts (tool-use rules, the environment block, safety and git-safety rules, CLAUDE.md content, `critical` rules) are never changed.";

const tierUnion = (options: { default?: PromptTier; description?: string }) =>
  t.Union(
    PROMPT_TIERS.map((tier) => t.Literal(tier)),
    options,
  );

const PromptRuleSchema = t.Object(
  {
    tool: t.Optional(
      t.String({
        minLength: 1,
        description: "A tool by name: `drop` leaves it out, `keep` sends it as it came (never slimmed or deferred).",
      }),
    ),
    heading: t.Optional(
      t.String({
        minLength: 1,
        description: "A section by its heading, without the `#`s, any case: the heading and everything under it.",
      }),
    ),
    pattern: t.Optional(
      t.String({ minLength: 1, description: "A JavaScript regular expression: every paragraph, list item or heading it matches." }),
    ),
    action: t.Union([t.Literal("drop"), t.Literal("keep"), t.Literal("replace"), t.Literal("critical")], {
      description:
        "`drop` removes, `keep` leaves as written, `replace` puts `text` in its place, `critical` protects it like the built-in critical parts (which no rule can drop or replace).",
    }),
    text: t.Optional(t.String({ description: "The replacement, for `replace`." })),
  },
  { additionalProperties: false, description: "One of `tool`, `heading` or `pattern`, and what to do with it." },
);

export const PromptSchema = t.Object(
  {
    tier: tierUnion({ default: "off", description: TIER_DESCRIPTION }),
    tierByRoute: t.Record(t.String({ minLength: 1 }), tierUnion({}), {
      default: {},
      description:
        "Tier by route (`alias`, `direct`, `background`, `longContext`, `thinking`, `opus`, `sonnet`, `haiku`, `default`) or model group, over `tier`; a group's entry wins over its route's.",
    }),
    deferTools: t.Array(t.String({ minLength: 1 }), {
      default: ["Agent", "Workflow", "ScheduleWakeup", "ListAgents", "ReportFindings", "Skill"],
      description:
        "Tools `aggressive` leaves out of the tool list and names in the system prompt as deferred: the model loads one with Claude Code's ToolSearch when it needs it. Only when ToolSearch is among the tools; never a tool the conversation already loaded or called.",
    }),
    rules: t.Array(PromptRuleSchema, {
      default: [],
      description:
        "Applied at every tier but `off`, the first matching rule winning: drop or keep a tool; drop, keep, replace or protect a section.",
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "Slimming the system prompt and tool definitions before they reach the engine, checked by a gate that sends the prompt untouched when a critical part went missing. See docs/decisions/0018-prompt-slimming.md.",
  },
);

export type PromptRule = Static<typeof PromptRuleSchema>;

/**
 * What the schema cannot say about `prompt.rules`: exactly one of tool, heading and pattern;
 * tools only dropped or kept; `replace` with a text; a pattern that compiles.
 *
 * @example
 * collectPromptRuleIssues([{ tool: "Bash", action: "replace" }]);
 * // => [{ path: ["prompt", "rules", 0, "action"], message: "a tool rule is drop or keep, found \"replace\"" }]
 */
export function collectPromptRuleIssues(rules: unknown): Array<{ path: ConfigPath; message: string }> {
  if (!Array.isArray(rules)) return [];
  const issues: Array<{ path: ConfigPath; message: string }> = [];
  rules.forEach((rule: unknown, index) => {
    if (typeof rule !== "object" || rule === null) return;
    const { tool, heading, pattern, action, text } = rule as Record<string, unknown>;
    const path = ["prompt", "rules", index];
    const targets = [tool, heading, pattern].filter((target) => target !== undefined).length;
    if (targets !== 1) issues.push({ path, message: `give exactly one of tool, heading, pattern; found ${targets}` });
    if (tool !== undefined && action !== "drop" && action !== "keep") {
      issues.push({ path: [...path, "action"], message: `a tool rule is drop or keep, found ${JSON.stringify(action)}` });
    }
    if (action === "replace" && typeof text !== "string")
      issues.push({ path: [...path, "text"], message: "missing; `replace` needs the text" });
    if (typeof pattern === "string") {
      try {
        new RegExp(pattern);
      } catch (error) {
        issues.push({ path: [...path, "pattern"], message: `not a regular expression: ${(error as Error).message}` });
      }
    }
  });
  return issues;
}
