import { describe, expect, test } from "bun:test";
import { compilePromptRules, matchProseRules } from "../../../src/prompt/match-prompt-rules";
import { parsePromptUnits } from "../../../src/prompt/parse-prompt-units";

const TEXT = "# Memory\nNotes.\n## Format\nFrontmatter.\n# Environment\nPlatform: linux\n\nThe Claude 5 family.";

describe("matchProseRules", () => {
  test("a heading rule covers its heading and every unit under it, subsections included, any case", () => {
    const { prose } = compilePromptRules([{ heading: "MEMORY", action: "drop" }]);
    const matched = matchProseRules(parsePromptUnits(TEXT).units, prose);
    expect(matched.map((rule) => rule?.index)).toEqual([0, 0, 0, 0, undefined, undefined, undefined]);
  });

  test("a pattern rule covers the units it matches; the first rule in config order wins", () => {
    const { prose } = compilePromptRules([
      { pattern: "Claude \\d", action: "replace", text: "A local model." },
      { heading: "environment", action: "keep" },
    ]);
    const matched = matchProseRules(parsePromptUnits(TEXT).units, prose);
    expect(matched.map((rule) => rule?.index)).toEqual([undefined, undefined, undefined, undefined, 1, 1, 0]);
  });

  test("tool rules are looked up by name, the first rule for a tool winning", () => {
    const rules = compilePromptRules([
      { tool: "Workflow", action: "drop" },
      { tool: "Workflow", action: "keep" },
      { tool: "Bash", action: "keep" },
    ]);
    expect([...rules.tools]).toEqual([
      ["Workflow", "drop"],
      ["Bash", "keep"],
    ]);
    expect(rules.prose).toEqual([]);
  });
});
