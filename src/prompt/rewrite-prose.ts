/**
 * Slims one piece of prompt prose (a system block, a tool's description, a parameter's
 * description) to a tier, under the config's rules, leaving critical units exactly as written.
 * Pure: the same text, tier and rules always give the same bytes.
 */
import type { TranslationWarning } from "../translate/translation-warning";
import { findCriticalUnits } from "./find-critical-units";
import type { ProseRule } from "./match-prompt-rules";
import { matchProseRules } from "./match-prompt-rules";
import { type PromptUnit, parsePromptUnits } from "./parse-prompt-units";
import type { PromptRemoval, RemovalReason } from "./prompt-removal";
import { type PromptTier, reachesTier } from "./prompt-tier";
import { cutToFirstClause, cutToFirstSentence, isExample, tidyProse } from "./shorten-prose";

/** `tool-description` keeps its first paragraph from `moderate` on, a `parameter` from `aggressive` on. */
type ProseRole = "system" | "tool-description" | "parameter";

export interface RewriteProseOptions {
  tier: Exclude<PromptTier, "off">;
  role: ProseRole;
  /** Where the prose sits, for removal records and warnings: `system[2]`, `tools.Bash.description`. */
  path: string;
  rules: readonly ProseRule[];
  /** Units already kept elsewhere in the same prompt (tidied, spaces collapsed): a repeat is dropped. Grows. */
  seen: Set<string>;
}

export interface RewrittenProse {
  text: string;
  removed: PromptRemoval[];
  /** The critical units' texts: the result contains each verbatim. */
  markers: string[];
  warnings: TranslationWarning[];
}

/** Beyond this many characters a paragraph is a long explanation (`moderate` cuts it to its first sentence). */
const LONG_EXPLANATION_CHARS = 240;
/** Shorter units are too generic ("Examples:") to count as a repeated section. */
const LEAST_REPEAT_CHARS = 20;

type Outcome =
  | { keep: true; text: string; critical?: boolean; byRule?: boolean; cut?: { reason: RemovalReason; text: string } }
  | { keep: false; reason: RemovalReason };

/**
 * @example
 * rewriteProse("Run the tests first.  Then commit.\n\n\nRun the tests first.  Then commit.", { tier: "safe", role: "system", path: "system", rules: [], seen: new Set() });
 * // => { text: "Run the tests first. Then commit.", removed: [{ path: "system", reason: "duplicate", ... }, { ..., reason: "formatting" }], markers: [], warnings: [] }
 */
export function rewriteProse(text: string, options: RewriteProseOptions): RewrittenProse {
  const { units } = parsePromptUnits(text);
  const critical = findCriticalUnits(units, options.role === "system" ? "system" : "tool");
  const rules = matchProseRules(units, options.rules);
  const removed: PromptRemoval[] = [];
  const markers: string[] = [];
  const warnings: TranslationWarning[] = [];
  const firstProse = units.findIndex((unit) => unit.kind !== "heading");

  const outcomes = units.map((unit, index): Outcome => {
    const rule = rules[index];
    if (critical[index] !== undefined || rule?.action === "critical") {
      if (rule !== undefined && (rule.action === "drop" || rule.action === "replace")) {
        warnings.push({
          code: "prompt-rule-ignored",
          path: options.path,
          message: `prompt.rules[${rule.index}] would ${rule.action} a critical part (${critical[index]}); kept.`,
        });
      }
      markers.push(unit.text);
      return { keep: true, text: unit.text, critical: true };
    }
    if (rule?.action === "keep") return { keep: true, text: unit.text, byRule: true };
    if (rule?.action === "drop") return { keep: false, reason: "rule" };
    if (rule?.action === "replace") {
      // One replacement per run of units the rule covers.
      return rules[index - 1] === rule ? { keep: false, reason: "rule" } : { keep: true, text: rule.text ?? "", byRule: true };
    }
    return slimUnit(unit, index === firstProse, options);
  });
  keepHeadingsOfKeptSections(units, outcomes);

  const kept: string[] = [];
  units.forEach((unit, index) => {
    const outcome = outcomes[index]!;
    if (!outcome.keep) {
      removed.push({ path: options.path, reason: outcome.reason, text: unit.text, chars: unit.text.length });
      return;
    }
    if (outcome.cut)
      removed.push({ path: options.path, reason: outcome.cut.reason, text: outcome.cut.text.trim(), chars: outcome.cut.text.length });
    if (outcome.text === "") return;
    const gap = kept.length === 0 ? "" : /\n[ \t]*\n/.test(unit.gap) ? "\n\n" : "\n";
    kept.push(gap + outcome.text);
  });
  const result = kept.join("");
  const accounted = removed.reduce((sum, removal) => sum + removal.chars, 0);
  const formatting = text.length - result.length - accounted;
  if (formatting > 0) removed.push({ path: options.path, reason: "formatting", chars: formatting });
  return { text: result, removed, markers, warnings };
}

function slimUnit(unit: PromptUnit, isFirstProse: boolean, options: RewriteProseOptions): Outcome {
  const text = tidyProse(unit);
  if (unit.kind === "heading") return { keep: true, text };
  const key = text.replace(/\s+/g, " ");
  if (key.length >= LEAST_REPEAT_CHARS && options.seen.has(key)) return { keep: false, reason: "duplicate" };
  options.seen.add(key);
  if (!reachesTier(options.tier, "moderate")) return { keep: true, text };
  if (isExample(unit)) return { keep: false, reason: "example" };
  const aggressive = reachesTier(options.tier, "aggressive");
  const firstParagraphOnly = options.role === "tool-description" || (options.role === "parameter" && aggressive);
  if (firstParagraphOnly && !isFirstProse) return { keep: false, reason: "beyond-first-paragraph" };
  if (aggressive || text.length > LONG_EXPLANATION_CHARS) {
    const first = aggressive ? cutToFirstClause(text) : cutToFirstSentence(text);
    const reason = aggressive ? "shortest-wording" : "long-explanation";
    return first === text ? { keep: true, text } : { keep: true, text: first, cut: { reason, text: text.slice(first.length) } };
  }
  return { keep: true, text };
}

/** A heading stays while anything under it stays; a rule's own verdict on it stands. */
function keepHeadingsOfKeptSections(units: readonly PromptUnit[], outcomes: Outcome[]): void {
  for (let index = units.length - 1; index >= 0; index--) {
    const unit = units[index]!;
    const outcome = outcomes[index]!;
    if (unit.kind !== "heading" || !outcome.keep || outcome.critical || outcome.byRule) continue;
    let end = index + 1;
    while (end < units.length && !(units[end]!.kind === "heading" && units[end]!.level <= unit.level)) end++;
    const anyKept = outcomes.slice(index + 1, end).some((candidate) => candidate.keep);
    if (!anyKept && end > index + 1) outcomes[index] = { keep: false, reason: "empty-section" };
  }
}
