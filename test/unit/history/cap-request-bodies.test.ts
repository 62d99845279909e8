import { describe, expect, test } from "bun:test";
import { capRequestBodies } from "../../../src/history/cap-request-bodies";

const bytes = (text: string) => Buffer.byteLength(text);

describe("capRequestBodies", () => {
  test("what fits is kept whole", () => {
    expect(capRequestBodies("prompt", "answer", 1024)).toEqual({ prompt: "prompt", answer: "answer", truncated: false });
  });

  test("a long prompt keeps its end (the latest turn), the short answer whole, both within the cap", () => {
    const prompt = `${"old turn ".repeat(500)}LATEST`;
    const capped = capRequestBodies(prompt, "short answer", 1024);
    expect(capped.truncated).toBe(true);
    expect(capped.answer).toBe("short answer");
    expect(capped.prompt).toStartWith("…");
    expect(capped.prompt).toEndWith("LATEST");
    expect(bytes(capped.prompt) + bytes(capped.answer)).toBe(1024);
  });

  test("a long answer keeps its start, up to half the cap; multi-byte characters are never split", () => {
    const capped = capRequestBodies("é".repeat(2000), "ü".repeat(2000), 1025);
    expect(capped.answer).toEndWith("…");
    expect(capped.answer).toMatch(/^ü+…$/);
    expect(capped.prompt).toMatch(/^…é+$/);
    expect(bytes(capped.answer)).toBeLessThanOrEqual(512);
    expect(bytes(capped.prompt) + bytes(capped.answer)).toBeLessThanOrEqual(1025);
  });
});
