import { describe, expect, test } from "bun:test";
import { formatProgressLine } from "../../../src/log/format-progress-line";
import { createProgressReporter, type ProgressStream } from "../../../src/log/progress-reporter";

function fakeStream(isTTY: boolean, columns = 80): ProgressStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

describe("formatProgressLine", () => {
  test("a bar, a percentage and the counts when the total is known", () => {
    expect(formatProgressLine("indexing", { done: 0, total: 4 })).toBe(`indexing [${"-".repeat(30)}]   0% 0/4`);
    expect(formatProgressLine("indexing", { done: 1, total: 4 })).toBe(`indexing [${"#".repeat(8)}${"-".repeat(22)}]  25% 1/4`);
    expect(formatProgressLine("indexing", { done: 4, total: 4 })).toBe(`indexing [${"#".repeat(30)}] 100% 4/4`);
  });

  test("only the count when the total is unknown or zero", () => {
    expect(formatProgressLine("indexing", { done: 1200, total: undefined })).toBe("indexing 1200");
    expect(formatProgressLine("indexing", { done: 0, total: 0 })).toBe("indexing 0");
  });

  test("in plain text for a log: no bar", () => {
    expect(formatProgressLine("indexing", { done: 1, total: 4 }, 80, "plain")).toBe("indexing 25% 1/4");
  });

  test("never wider than the terminal, so it can be redrawn in place", () => {
    expect(formatProgressLine("rebuilding the semantic cache index", { done: 5, total: 10 }, 40)).toHaveLength(39);
  });
});

describe("createProgressReporter", () => {
  test("not a terminal: work that ends before the first line is due writes nothing", () => {
    const stream = fakeStream(false);
    let clock = 0;
    const onProgress = createProgressReporter("indexing", { stream, now: () => clock, plainIntervalMs: 10_000 });
    onProgress({ done: 0, total: 2 });
    clock += 9_999;
    onProgress({ done: 2, total: 2, finished: true });
    expect(stream.written).toEqual([]);
  });

  test("not a terminal: a plain line per interval, then the closing one", () => {
    const stream = fakeStream(false);
    let clock = 0;
    const onProgress = createProgressReporter("indexing", { stream, now: () => clock, plainIntervalMs: 10_000 });
    for (let done = 0; done <= 25; done++) {
      onProgress({ done, total: 30 });
      clock += 1_000;
    }
    onProgress({ done: 30, total: 30, finished: true });
    expect(stream.written).toEqual(["indexing 33% 10/30\n", "indexing 66% 20/30\n", "indexing 100% 30/30\n"]);
  });

  test("redraws in place at most once per interval, always draws the last update, then ends the line", () => {
    const stream = fakeStream(true);
    let clock = 1000;
    const onProgress = createProgressReporter("indexing", { stream, now: () => clock, intervalMs: 100 });
    onProgress({ done: 0, total: 10 });
    clock += 50;
    onProgress({ done: 1, total: 10 }); // too soon
    clock += 60;
    onProgress({ done: 2, total: 10 });
    clock += 1;
    onProgress({ done: 10, total: 10, finished: true });
    expect(stream.written).toEqual([
      `\r${formatProgressLine("indexing", { done: 0, total: 10 })}`,
      `\r${formatProgressLine("indexing", { done: 2, total: 10 })}`,
      `\r${formatProgressLine("indexing", { done: 10, total: 10 })}`,
      "\n",
    ]);
  });

  test("a shorter line is padded to cover the end of the longer one before it", () => {
    const stream = fakeStream(true);
    let clock = 0;
    const onProgress = createProgressReporter("n", { stream, now: () => (clock += 1000) });
    onProgress({ done: 100000, total: undefined });
    onProgress({ done: 7, total: undefined, finished: true });
    expect(stream.written).toEqual(["\rn 100000", "\rn 7     ", "\n"]);
  });
});
