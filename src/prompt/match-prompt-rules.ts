/**
 * The prompt rules a config gives (`prompt.rules`): drop or keep a tool; drop, keep, replace or
 * mark critical a section (by its heading) or any unit of prose (by a regular expression).
 */
import type { PromptRule } from "../config/prompt-config-schema";
import type { PromptUnit } from "./parse-prompt-units";

export type { PromptRule };

type ProseRuleAction = PromptRule["action"];

export interface ProseRule {
  /** Its position in `prompt.rules`, for removal records. */
  index: number;
  /** Lower-case heading text without the `#`s. */
  heading?: string;
  pattern?: RegExp;
  action: ProseRuleAction;
  text?: string;
}

export interface PromptRules {
  tools: ReadonlyMap<string, "drop" | "keep">;
  prose: readonly ProseRule[];
}

/**
 * @example
 * compilePromptRules([{ tool: "Workflow", action: "drop" }, { heading: "Memory", action: "drop" }]);
 * // => { tools: Map { "Workflow" => "drop" }, prose: [{ index: 1, heading: "memory", action: "drop" }] }
 */
export function compilePromptRules(rules: readonly PromptRule[]): PromptRules {
  const tools = new Map<string, "drop" | "keep">();
  const prose: ProseRule[] = [];
  rules.forEach((rule, index) => {
    if (rule.tool !== undefined) {
      if (!tools.has(rule.tool) && (rule.action === "drop" || rule.action === "keep")) tools.set(rule.tool, rule.action);
      return;
    }
    prose.push({
      index,
      heading: rule.heading === undefined ? undefined : normalizeHeading(rule.heading),
      pattern: rule.pattern === undefined ? undefined : new RegExp(rule.pattern),
      action: rule.action,
      text: rule.text,
    });
  });
  return { tools, prose };
}

/**
 * The rule that applies to each unit, or undefined: a heading rule covers its heading and
 * everything under it; a pattern rule the units it matches. The first rule in config order wins.
 *
 * @example
 * matchProseRules(parsePromptUnits("# Memory\nNotes go here.").units, compilePromptRules([{ heading: "memory", action: "drop" }]).prose);
 * // => [rule, rule]
 */
export function matchProseRules(units: readonly PromptUnit[], rules: readonly ProseRule[]): Array<ProseRule | undefined> {
  if (rules.length === 0) return units.map(() => undefined);
  const open: Array<{ level: number; rule: ProseRule }> = [];
  return units.map((unit) => {
    if (unit.kind === "heading") {
      while (open.length > 0 && open.at(-1)!.level >= unit.level) open.pop();
      const heading = normalizeHeading(unit.text);
      const rule = rules.find((candidate) => candidate.heading === heading);
      if (rule !== undefined) open.push({ level: unit.level, rule });
    }
    const candidates = [...open.map((entry) => entry.rule), ...rules.filter((rule) => rule.pattern?.test(unit.text) === true)];
    return candidates.sort((a, b) => a.index - b.index)[0];
  });
}

function normalizeHeading(text: string): string {
  return text.replace(/^#+/, "").trim().toLowerCase();
}
