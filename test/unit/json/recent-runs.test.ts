import { expect, test } from "bun:test";
import { countFrozenLeading, RecentRuns } from "../../../src/json/recent-runs";

const item = (name: string) => Object.freeze({ name });

test("finds the kept run by its first item and counts the items shared, by identity", () => {
  const [a, b, c, d] = ["a", "b", "c", "d"].map(item);
  const runs = new RecentRuns<{ items: unknown[]; note: string }>(2);
  expect(runs.find([a, b])).toEqual({ run: undefined, shared: 0 });
  runs.keep({ items: [a, b, c], note: "first" });
  expect(runs.find([a, b, d])).toMatchObject({ run: { note: "first" }, shared: 2 });
  expect(runs.find([a, b, c, d]).shared).toBe(3);
  expect(runs.find([{ name: "a" }]).run).toBeUndefined();
  expect(runs.find([]).run).toBeUndefined();
});

test("keeps one run per first item and only the most recent few", () => {
  const [a, b, c] = ["a", "b", "c"].map(item);
  const runs = new RecentRuns<{ items: unknown[]; note: string }>(2);
  runs.keep({ items: [a], note: "old a" });
  runs.keep({ items: [a], note: "new a" });
  runs.keep({ items: [b], note: "b" });
  expect(runs.find([a]).run?.note).toBe("new a");
  runs.keep({ items: [c], note: "c" });
  expect(runs.find([a]).run).toBeUndefined();
  expect(runs.find([b]).run?.note).toBe("b");
});

test("countFrozenLeading stops at the first item that is not a frozen object", () => {
  expect(countFrozenLeading([item("a"), item("b"), { name: "c" }, item("d")])).toBe(2);
  expect(countFrozenLeading(["text", item("a")])).toBe(0);
  expect(countFrozenLeading([])).toBe(0);
});
