import { describe, expect, test } from "bun:test";
import { parsePromptUnits, renderPromptUnits } from "../../../src/prompt/parse-prompt-units";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";
import { seededRandom } from "../../support/seeded-random";

describe("parsePromptUnits", () => {
  test("tells headings, paragraphs, list items, fenced code and reminders apart, with the level they sit under", () => {
    const text = [
      "Intro line",
      "still intro.",
      "",
      "# Git",
      " - Commit only when asked.",
      "   continued, deeper",
      "- Next item",
      "",
      "```sh",
      "git status",
      "",
      "git log",
      "```",
      "## Notes",
      "<system-reminder>",
      "Remember.",
      "",
      "Really.",
      "</system-reminder>",
    ].join("\n");
    const { units } = parsePromptUnits(text);
    expect(units.map((unit) => [unit.kind, unit.level, unit.text])).toEqual([
      ["paragraph", 0, "Intro line\nstill intro."],
      ["heading", 1, "# Git"],
      ["item", 1, " - Commit only when asked.\n   continued, deeper"],
      ["item", 1, "- Next item"],
      ["code", 1, "```sh\ngit status\n\ngit log\n```"],
      ["heading", 2, "## Notes"],
      ["reminder", 2, "<system-reminder>\nRemember.\n\nReally.\n</system-reminder>"],
    ]);
    expect(units.map((unit) => unit.gap)).toEqual(["", "\n\n", "\n", "\n", "\n\n", "\n", "\n"]);
  });

  test("a paragraph ends where a list starts", () => {
    const { units } = parsePromptUnits("Available agent types:\n- claude: Catch-all.\n- Plan: Plans.");
    expect(units.map((unit) => unit.kind)).toEqual(["paragraph", "item", "item"]);
  });

  test("an unclosed fence or reminder runs to the end", () => {
    expect(parsePromptUnits("```\ncode\n\nmore").units.map((unit) => unit.kind)).toEqual(["code"]);
    expect(parsePromptUnits("<system-reminder>\nnote\n\nmore").units.map((unit) => unit.kind)).toEqual(["reminder"]);
  });

  test("rendering gives back every recorded Claude Code prompt byte for byte", () => {
    const texts = readClaudeCodeRequests().flatMap(({ body }) => [
      ...(typeof body.system === "string" ? [body.system] : (body.system ?? []).map((block) => block.text)),
      ...(body.tools ?? []).map((tool) => tool.description ?? ""),
      ...body.messages.flatMap((message) =>
        typeof message.content === "string"
          ? [message.content]
          : message.content.map((block) => ("text" in block ? String(block.text) : "")),
      ),
    ]);
    for (const text of texts) expect(renderPromptUnits(parsePromptUnits(text))).toBe(text);
  });

  test("rendering gives back any text byte for byte (seeded)", () => {
    const random = seededRandom(17);
    const pieces = [
      "# H",
      "## Sub",
      "- item",
      " * star",
      "1. one",
      "```",
      "~~~",
      "<system-reminder>",
      "</system-reminder>",
      "text",
      "  ",
      "",
      "\t",
      "\r",
    ];
    for (let run = 0; run < 2000; run++) {
      const lines = Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]!);
      const text = lines.join("\n") + (random() < 0.3 ? "\n" : "");
      expect(renderPromptUnits(parsePromptUnits(text))).toBe(text);
    }
  });
});
