/**
 * The text operations the tiers are made of, each on one unit of prose: tidy its whitespace and
 * typography (meaning unchanged), tell an example, cut to the first sentence.
 */
import type { PromptUnit } from "./parse-prompt-units";

/**
 * Typography a model reads the same either way, swapped for the ASCII character of the same
 * length: one byte instead of three, which is fewer tokens in most vocabularies. (An ellipsis or
 * an arrow would need more characters, and so could make the prompt longer.)
 */
const TYPOGRAPHY: ReadonlyArray<[RegExp, string]> = [
  [/[\u2018\u2019]/g, "'"],
  [/[\u201C\u201D]/g, '"'],
  [/[\u2013\u2014]/g, "-"],
  [/\u00A0/g, " "],
];

/** Anything tidyProse would change; most units have none. */
const UNTIDY = /[ \t]\n|[ \t]$|\S[ \t]{2,}\S|^ {1,3}[-*+] |[\u2018\u2019\u201C\u201D\u2013\u2014\u00A0]/;

/**
 * Trailing spaces, runs of spaces inside a line, the indentation of a top-level list marker,
 * and typography; fenced code is left as written.
 *
 * @example
 * tidyProse({ kind: "item", text: " - Prefer  absolute paths — always.  ", gap: "\n", level: 0 });
 * // => "- Prefer absolute paths - always."
 */
export function tidyProse(unit: PromptUnit): string {
  if (unit.kind === "code" || !UNTIDY.test(unit.text)) return unit.text;
  let text = unit.text
    .split("\n")
    .map((line) => line.replace(/[ \t]+$/, "").replace(/(\S)[ \t]{2,}(?=\S)/g, "$1 "))
    .join("\n");
  if (unit.kind === "item") text = text.replace(/^ {1,3}(?=[-*+] )/, "");
  for (const [pattern, replacement] of TYPOGRAPHY) text = text.replace(pattern, replacement);
  return text;
}

/**
 * Fenced code, `<example>` blocks, paragraphs that announce themselves as examples, and list
 * items that map an input to a quoted output (`- ls → "List files"`).
 *
 * @example
 * isExample({ kind: "item", text: '- git status → "Show working tree status"', gap: "\n", level: 0 }); // true
 */
export function isExample(unit: PromptUnit): boolean {
  if (unit.kind === "code") return true;
  if (/<example>/i.test(unit.text)) return true;
  if (/^(?:[-*+]\s+)?(?:for example\b|examples?\b|e\.g\.)/i.test(unit.text.trimStart())) return true;
  return unit.kind === "item" && /(?:\u2192|->)\s*["'`]/.test(unit.text);
}

/** Words whose trailing period ends no sentence. */
const ABBREVIATIONS = /(?:\be\.g|\bi\.e|\betc|\bvs|\bcf)$/i;
/** A cut that saves less than this is not worth the lost words. */
const LEAST_CUT = 24;
/** A first sentence longer than this is cut on to its first clause by `cutToFirstClause`. */
const LONG_SENTENCE_CHARS = 120;
/** Clauses are looked for past this point: before it sits a list item's `name:` label, or the subject. */
const LEAST_CLAUSE_CHARS = 40;

/**
 * The unit up to the end of its first sentence; a list item keeps its marker and a `name:`
 * label. Periods inside backticks, parentheses or brackets end nothing. The whole text when no
 * sentence ends early enough to save anything.
 *
 * @example
 * cutToFirstSentence("- Explore: Read-only search agent. It reads excerpts (e.g. a file's head)."); // "- Explore: Read-only search agent."
 */
export function cutToFirstSentence(text: string): string {
  const end = scanOutsideCodeAndBrackets(text, 0, (i) => {
    const char = text[i]!;
    if (char !== "." && char !== "!" && char !== "?") return false;
    const next = text[i + 1];
    if (next !== undefined && next !== " " && next !== "\n") return false;
    return char !== "." || !ABBREVIATIONS.test(text.slice(Math.max(0, i - 8), i));
  });
  if (end === undefined || text.length - (end + 1) < LEAST_CUT) return text;
  return text.slice(0, end + 1);
}

/**
 * The first sentence, and when that is still long, its first clause (up to a `;` or a dash),
 * closed with a period: the shortest wording `aggressive` keeps.
 *
 * @example
 * cutToFirstClause("- Explore: Read-only search agent for broad fan-out searches - when answering means sweeping many files and you only need the conclusion.");
 * // => "- Explore: Read-only search agent for broad fan-out searches."
 */
export function cutToFirstClause(text: string): string {
  const sentence = cutToFirstSentence(text);
  if (sentence.length <= LONG_SENTENCE_CHARS) return sentence;
  const end = scanOutsideCodeAndBrackets(sentence, LEAST_CLAUSE_CHARS, (i) => {
    const char = sentence[i]!;
    if (char === ";") return true;
    return char === " " && /^ [-\u2013\u2014] /.test(sentence.slice(i, i + 3));
  });
  if (end === undefined || sentence.length - end < LEAST_CUT) return sentence;
  return `${sentence.slice(0, end).replace(/[,:]$/, "")}.`;
}

/** The index of the first character from `from` on where `isBoundary` holds, outside `code`, (), [] and {}. */
function scanOutsideCodeAndBrackets(text: string, from: number, isBoundary: (index: number) => boolean): number | undefined {
  let inCode = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "`") inCode = !inCode;
    if (inCode) continue;
    if (char === "(" || char === "[" || char === "{") depth++;
    else if ((char === ")" || char === "]" || char === "}") && depth > 0) depth--;
    else if (depth === 0 && i >= from && isBoundary(i)) return i;
  }
  return undefined;
}
