/**
 * Splits prompt prose (a system block, a tool description) into the units slimming decides on:
 * headings, paragraphs, list items, fenced code and `<system-reminder>` blocks. Rendering the
 * units back gives the original text byte for byte, so whatever slimming leaves alone stays exact.
 */

type PromptUnitKind = "heading" | "paragraph" | "item" | "code" | "reminder";

export interface PromptUnit {
  kind: PromptUnitKind;
  /** The unit's lines, without the blank lines around it. */
  text: string;
  /** The whitespace between the previous unit (or the start) and this one, as written. */
  gap: string;
  /** For a heading its level (1-6); for any other unit the level of the heading it falls under, 0 for none. */
  level: number;
}

export interface ParsedPrompt {
  units: PromptUnit[];
  /** Whitespace after the last unit. */
  tail: string;
}

const HEADING = /^#{1,6}\s/;
const ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s/;
const FENCE = /^\s*(`{3,}|~{3,})/;
const REMINDER_OPEN = "<system-reminder>";
const REMINDER_CLOSE = "</system-reminder>";

/**
 * @example
 * parsePromptUnits("# Git\n - Commit only when asked.\n\nMore.").units.map((unit) => unit.kind);
 * // => ["heading", "item", "paragraph"]
 */
export function parsePromptUnits(text: string): ParsedPrompt {
  const lines = text.split("\n");
  const units: PromptUnit[] = [];
  let level = 0;
  /** The line after the previous unit; -1 before the first. */
  let previousEnd = -1;
  let index = 0;
  const take = (kind: PromptUnitKind, end: number) => {
    const unitText = lines.slice(index, end).join("\n");
    const blankLines = lines.slice(Math.max(previousEnd, 0), index).map((line) => `${line}\n`);
    const gap = (previousEnd === -1 ? "" : "\n") + blankLines.join("");
    if (kind === "heading") level = /^#+/.exec(unitText)![0].length;
    units.push({ kind, text: unitText, gap, level });
    previousEnd = end;
    index = end;
  };
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.trim() === "") index++;
    else if (FENCE.test(line)) take("code", findFenceEnd(lines, index));
    else if (line.trimStart().startsWith(REMINDER_OPEN)) take("reminder", findReminderEnd(lines, index));
    else if (HEADING.test(line)) take("heading", index + 1);
    else if (ITEM.test(line)) take("item", findItemEnd(lines, index));
    else take("paragraph", findParagraphEnd(lines, index));
  }
  if (previousEnd === -1) return { units, tail: text };
  return { units, tail: previousEnd === lines.length ? "" : `\n${lines.slice(previousEnd).join("\n")}` };
}

/**
 * @example
 * renderPromptUnits(parsePromptUnits(text)) === text; // true for any text
 */
export function renderPromptUnits(parsed: ParsedPrompt): string {
  let text = "";
  for (const unit of parsed.units) text += unit.gap + unit.text;
  return text + parsed.tail;
}

function findFenceEnd(lines: string[], start: number): number {
  const marker = FENCE.exec(lines[start]!)![1]!;
  for (let i = start + 1; i < lines.length; i++) if (lines[i]!.trimStart().startsWith(marker)) return i + 1;
  return lines.length;
}

function findReminderEnd(lines: string[], start: number): number {
  for (let i = start; i < lines.length; i++) if (lines[i]!.includes(REMINDER_CLOSE)) return i + 1;
  return lines.length;
}

/** An item goes on over lazy continuation lines and deeper-indented lines (nested items among them). */
function findItemEnd(lines: string[], start: number): number {
  const indent = indentOf(lines[start]!);
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "" || HEADING.test(line) || FENCE.test(line)) break;
    if (ITEM.test(line) && indentOf(line) <= indent) break;
    i++;
  }
  return i;
}

function findParagraphEnd(lines: string[], start: number): number {
  let i = start + 1;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "" || HEADING.test(line) || FENCE.test(line) || ITEM.test(line)) break;
    if (line.trimStart().startsWith(REMINDER_OPEN)) break;
    i++;
  }
  return i;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
