import { describe, expect, test } from "bun:test";
import type { PromptUnit } from "../../../src/prompt/parse-prompt-units";
import { cutToFirstSentence, isExample, tidyProse } from "../../../src/prompt/shorten-prose";

const unit = (kind: PromptUnit["kind"], text: string): PromptUnit => ({ kind, text, gap: "", level: 0 });

describe("tidyProse", () => {
  test.each([
    ["paragraph", "Trailing spaces go.   \nSo do  inner   runs.", "Trailing spaces go.\nSo do inner runs."],
    ["item", " - A marker loses its indent", "- A marker loses its indent"],
    ["paragraph", "  Leading indentation of prose stays", "  Leading indentation of prose stays"],
    ["paragraph", "Dashes \u2014 and \u2013 quotes \u201Chi\u201D \u2018yo\u2019\u00A0done", "Dashes - and - quotes \"hi\" 'yo' done"],
    [
      "paragraph",
      "Arrows \u2192 and ellipses \u2026 stay: ASCII would be longer",
      "Arrows \u2192 and ellipses \u2026 stay: ASCII would be longer",
    ],
    ["code", "```\n  x  =  1   \n```", "```\n  x  =  1   \n```"],
  ] as const)("%s %p", (kind, text, expected) => {
    expect(tidyProse(unit(kind, text))).toBe(expected);
  });
});

describe("isExample", () => {
  test.each([
    ["code", "```js\nx()\n```", true],
    ["paragraph", "For example, run it twice.", true],
    ["paragraph", "Examples:", true],
    ["item", "- e.g. this one", true],
    ["item", '- git status \u2192 "Show working tree status"', true],
    ["item", "- find . -> 'Find files'", true],
    ["paragraph", "<example>user: hi</example>", true],
    ["item", "- timeout \u2192 milliseconds", false],
    ["paragraph", "An example of nothing in particular.", false],
  ] as const)("%s %p -> %p", (kind, text, expected) => {
    expect(isExample(unit(kind, text))).toBe(expected);
  });
});

describe("cutToFirstSentence", () => {
  test.each([
    ["Reads a file from the local filesystem. It returns lines with numbers and more words.", "Reads a file from the local filesystem."],
    ["- Explore: Read-only search agent. It reads excerpts and writes nothing at all here.", "- Explore: Read-only search agent."],
    [
      "Use `a.b` (see e.g. the docs. Really.) then stop. And the rest goes away, all of it.",
      "Use `a.b` (see e.g. the docs. Really.) then stop.",
    ],
    ["Run /loop 5m (e.g. /loop 5m /foo). Omit the interval to let the model self-pace.", "Run /loop 5m (e.g. /loop 5m /foo)."],
    ["Version 5.5 is out, i.e. the newest. More words here that go away entirely now.", "Version 5.5 is out, i.e. the newest."],
    ["One sentence only, nothing to cut", "One sentence only, nothing to cut"],
    ["Short first. Short rest.", "Short first. Short rest."],
  ])("%p", (text, expected) => {
    expect(cutToFirstSentence(text)).toBe(expected);
  });
});
