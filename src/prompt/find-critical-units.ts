/**
 * Which units of a prompt no tier may change: tool-use rules, the environment block, safety and
 * git-safety rules, and the user's CLAUDE.md content. Told by their words and by the heading
 * they sit under, as Claude Code writes them; config can mark more (see match-prompt-rules.ts).
 */
import type { PromptUnit } from "./parse-prompt-units";
import { isExample } from "./shorten-prose";

export type CriticalKind = "tool-use" | "environment" | "safety" | "git-safety" | "claude-md" | "config";

/** Where prose sits: the system prompt, or a tool's description and its parameters' descriptions. */
export type ProsePlace = "system" | "tool";

interface CriticalPattern {
  kind: CriticalKind;
  places: readonly ProsePlace[];
  pattern: RegExp;
  /** Entries of a listing (`- name: what it is`) describe things; they state no rule of this kind. */
  notInListings?: boolean;
}

const LISTING_ENTRY = /^\s*[-*+] [\w:./-]+: /;

const BY_WORDS: readonly CriticalPattern[] = [
  {
    kind: "environment",
    places: ["system"],
    pattern:
      /working directory|Is a git repository|\bPlatform:|\bOS Version:|\bShell:|Today's date|current date|knowledge cutoff|powered by the model/i,
  },
  {
    kind: "tool-use",
    places: ["system"],
    pattern: /\btool calls?\b|deferred tools?|\bToolSearch\b|permission mode|InputValidationError|dedicated (?:file\/search )?tools?/i,
    notInListings: true,
  },
  // Inside a tool's description every sentence is about using it; the rules are the ones it
  // shouts, and the ones that say a call fails otherwise.
  { kind: "tool-use", places: ["tool"], pattern: /\b(?:IMPORTANT|NEVER|ONLY|MUST|ALWAYS)\b|\bD[oO] NOT\b|\bmust\b|\bfails?\b|will fail/ },
  {
    kind: "safety",
    places: ["system", "tool"],
    pattern:
      /IMPORTANT:|malicious|destructive|\brefuse|untrusted|\bsecrets?\b|credentials|personal details|\bprivate\b|hard to reverse|instructions the user did not write|(?:do not|don't|never) follow [^.\n]*instructions|prompt injection|\bdangerous|security testing|recreation of/i,
  },
  {
    kind: "git-safety",
    places: ["system", "tool"],
    pattern:
      /--no-verify|force[- ]push|\bgit (?:commit|push|reset|rebase|checkout|clean|config)\b|\b(?:commit|push)\b[^.\n]*\b(?:only when|unless|user asks)\b/i,
  },
];

/** Every unit under such a heading is critical, down to the next heading of the same or a higher level. */
const BY_HEADING: ReadonlyArray<{ kind: CriticalKind; pattern: RegExp }> = [
  { kind: "tool-use", pattern: /\btool[- ]?(?:use|usage|calling)\b|\bharness\b/i },
  { kind: "git-safety", pattern: /\bgit\b|\bcommitting\b|\bpull requests?\b/i },
  { kind: "safety", pattern: /\bsafety\b|\bsecurity\b/i },
];

/** Where Claude Code quotes a CLAUDE.md file; everything from there to the end of the text is the user's. */
const CLAUDE_MD = /Contents of [^\n]*CLAUDE(?:\.local)?\.md|^#\s*claudeMd\b/m;

/**
 * One entry per unit: its critical kind, or undefined. Headings are critical only inside
 * CLAUDE.md content; elsewhere slimming keeps a heading while anything under it stays.
 *
 * @example
 * findCriticalUnits(parsePromptUnits("# Git\n- Never force-push.\n\nBe brief.").units, "system");
 * // => [undefined, "git-safety", "git-safety"] (the paragraph is under "# Git" too)
 */
export function findCriticalUnits(units: readonly PromptUnit[], place: ProsePlace): Array<CriticalKind | undefined> {
  const kinds: Array<CriticalKind | undefined> = [];
  const headings: Array<{ level: number; kind: CriticalKind | undefined }> = [];
  let inClaudeMd = false;
  for (const unit of units) {
    if (!inClaudeMd && CLAUDE_MD.test(unit.text)) inClaudeMd = true;
    if (inClaudeMd) {
      kinds.push("claude-md");
      continue;
    }
    if (unit.kind === "heading") {
      while (headings.length > 0 && headings.at(-1)!.level >= unit.level) headings.pop();
      headings.push({ level: unit.level, kind: BY_HEADING.find((entry) => entry.pattern.test(unit.text))?.kind });
      kinds.push(undefined);
      continue;
    }
    const byHeading = headings.find((heading) => heading.kind !== undefined)?.kind;
    // An example shows a rule rather than states one (`git reset --hard ... → "Discard all local changes"`).
    const listing = LISTING_ENTRY.test(unit.text);
    const byWords = isExample(unit)
      ? undefined
      : BY_WORDS.find((entry) => entry.places.includes(place) && !(entry.notInListings && listing) && entry.pattern.test(unit.text))?.kind;
    kinds.push(byHeading ?? byWords);
  }
  return kinds;
}
