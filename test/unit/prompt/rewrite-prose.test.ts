import { describe, expect, test } from "bun:test";
import { compilePromptRules, type PromptRule } from "../../../src/prompt/match-prompt-rules";
import { type RewriteProseOptions, rewriteProse } from "../../../src/prompt/rewrite-prose";

const LONG =
  "This paragraph explains one thing at length. It goes on for a while with detail that a small model rarely needs, repeating the point in other words, adding qualifications, and then some more words so that it is well over the length that moderate treats as a long explanation of anything.";

function rewrite(text: string, options: Partial<RewriteProseOptions> & { ruleList?: PromptRule[] } = {}) {
  const { ruleList = [], ...rest } = options;
  return rewriteProse(text, {
    tier: "safe",
    role: "system",
    path: "system",
    rules: compilePromptRules(ruleList).prose,
    seen: new Set(),
    ...rest,
  });
}

describe("rewriteProse", () => {
  test("safe tidies whitespace and typography and drops an exact repeat, nothing with meaning", () => {
    const text =
      "\nRun the tests before you commit.  \n\n\n\nShort.\n\n- Run the tests before you commit.\n\nRun the tests before you commit.\n";
    const result = rewrite(text);
    expect(result.text).toBe("Run the tests before you commit.\n\nShort.\n\n- Run the tests before you commit.");
    expect(result.removed).toEqual([
      { path: "system", reason: "duplicate", text: "Run the tests before you commit.", chars: 32 },
      { path: "system", reason: "formatting", chars: 8 },
    ]);
  });

  test("repeats are found across the texts of one prompt through `seen`", () => {
    const seen = new Set<string>();
    rewrite("<system-reminder>\nThe same reminder, twice.\n</system-reminder>", { seen });
    expect(rewrite("<system-reminder>\nThe same reminder, twice.\n</system-reminder>\n\nOther.", { seen }).text).toBe("Other.");
  });

  test("moderate drops examples and cuts long explanations to their first sentence", () => {
    const text = `Intro.\n\n\`\`\`json\n{"a": 1}\n\`\`\`\n\nFor example, this.\n\n${LONG}`;
    const result = rewrite(text, { tier: "moderate" });
    expect(result.text).toBe("Intro.\n\nThis paragraph explains one thing at length.");
    expect(result.removed.map((removal) => removal.reason)).toEqual(["example", "example", "long-explanation", "formatting"]);
  });

  test("aggressive cuts every paragraph to its first sentence", () => {
    expect(rewrite("Short one. And a second sentence that goes away.", { tier: "aggressive" }).text).toBe("Short one.");
    expect(rewrite("Short one. And a second sentence that goes away.", { tier: "moderate" }).text).toBe(
      "Short one. And a second sentence that goes away.",
    );
  });

  test("a tool description keeps its first paragraph and its critical parts from moderate on; a heading stays with them", () => {
    const text =
      "Executes a command.\n\n- Output goes to you.\n- IMPORTANT: never use it for cat.\n\n# Git\n- Commit only when asked.\n\n# Tips\n- Be quick.";
    const result = rewrite(text, { tier: "moderate", role: "tool-description" });
    expect(result.text).toBe("Executes a command.\n- IMPORTANT: never use it for cat.\n\n# Git\n- Commit only when asked.");
    expect(result.markers).toEqual(["- IMPORTANT: never use it for cat.", "- Commit only when asked."]);
    expect(result.removed.map((removal) => removal.reason)).toEqual([
      "beyond-first-paragraph",
      "empty-section",
      "beyond-first-paragraph",
      "formatting",
    ]);
  });

  test("a parameter keeps its whole description at moderate (examples aside) and its first sentence at aggressive", () => {
    const text = 'How long to wait, in ms. The default is two minutes.\n\n- 1000 → "one second"';
    expect(rewrite(text, { tier: "moderate", role: "parameter" }).text).toBe("How long to wait, in ms. The default is two minutes.");
    expect(rewrite(text, { tier: "aggressive", role: "parameter" }).text).toBe("How long to wait, in ms.");
  });

  test("critical units stay exactly as written, whatever the tier", () => {
    const text = ` - Primary working directory: /home/dev/project  \n\n${LONG}`;
    const result = rewrite(text, { tier: "aggressive" });
    expect(result.text).toBe(" - Primary working directory: /home/dev/project  \n\nThis paragraph explains one thing at length.");
    expect(result.markers).toEqual([" - Primary working directory: /home/dev/project  "]);
  });

  test("rules: drop, keep (exactly as written), replace (once per run of units), critical", () => {
    const text = "# Memory\nA.\n\nB.\n\n# Style\nUse   two  spaces.\n\n# Extra\nOne. And more words that aggressive would cut away here.";
    const result = rewrite(text, {
      tier: "aggressive",
      ruleList: [
        { heading: "memory", action: "replace", text: "# Memory\nNone." },
        { heading: "style", action: "keep" },
        { pattern: "^One\\.", action: "critical" },
      ],
    });
    expect(result.text).toBe(
      "# Memory\nNone.\n\n# Style\nUse   two  spaces.\n\n# Extra\nOne. And more words that aggressive would cut away here.",
    );
    expect(result.markers).toEqual(["One. And more words that aggressive would cut away here."]);
  });

  test("a rule cannot drop or replace a critical part: it stays, with a warning", () => {
    const result = rewrite("Today's date is 2026-11-27.\n\nOther.", { ruleList: [{ pattern: "date|Other", action: "drop" }] });
    expect(result.text).toBe("Today's date is 2026-11-27.");
    expect(result.warnings).toEqual([
      { code: "prompt-rule-ignored", path: "system", message: "prompt.rules[0] would drop a critical part (environment); kept." },
    ]);
  });
});
