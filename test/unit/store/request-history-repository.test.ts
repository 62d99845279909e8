/**
 * The request history on a real SQLite file: rows written in batches feed the per-minute totals
 * and histograms through the trigger, pages run newest first, retention drops rows by age and
 * by count, and the totals of minutes past the age limit, never those of rows dropped by count.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/open-store";
import { RequestHistoryRepository } from "../../../src/store/request-history-repository";
import type { NewRequestHistoryRow } from "../../../src/store/request-history-row";
import { makeHistoryRow } from "../../support/history-rows";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-history-"));
let files = 0;
const stores: Store[] = [];
afterAll(() => {
  for (const store of stores) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openRepository(): { store: Store; history: RequestHistoryRepository } {
  const store = openStore({ path: join(dir, `history-${files++}.db`) });
  stores.push(store);
  return { store, history: new RequestHistoryRepository(store.db) };
}

const T0 = Date.parse("2026-03-04T10:00:00Z");
const MINUTE = 60_000;
const T0_MINUTE = T0 / MINUTE;

describe("RequestHistoryRepository", () => {
  test("a batch is written in one go and read back newest first, page by page", () => {
    const { history } = openRepository();
    const rows: NewRequestHistoryRow[] = Array.from({ length: 5 }, (_, index) =>
      makeHistoryRow({ at: T0 + index, requestId: `req_${index}` }),
    );
    history.insert(rows);
    const first = history.list(2);
    expect(first.map((row) => row.requestId)).toEqual(["req_4", "req_3"]);
    const second = history.list(2, first.at(-1)!.id);
    expect(second.map((row) => row.requestId)).toEqual(["req_2", "req_1"]);
    expect(history.list(10, second.at(-1)!.id).map((row) => row.requestId)).toEqual(["req_0"]);
    // Booleans and NULLs come back as they went in.
    expect(first[0]).toMatchObject({ stream: true, fallback: false, ttftMs: 120, errorType: null, contextUtilization: null });
  });

  test("the trigger sums each minute per backend and files durations in buckets of a quarter doubling", () => {
    const { history } = openRepository();
    history.insert([
      makeHistoryRow({ at: T0, backend: "llama", latencyMs: 1000, ttftMs: 200, outputTokens: 80, cache: "miss" }),
      makeHistoryRow({ at: T0 + 1000, backend: "llama", latencyMs: 3000, ttftMs: null, stream: false, outputTokens: 20, cache: "miss" }),
      makeHistoryRow({ at: T0 + 2000, backend: null, latencyMs: 0.5, ttftMs: 0.5, cache: "hit", route: "sonnet" }),
      makeHistoryRow({ at: T0 + MINUTE, backend: "llama", status: 529, outcome: "failed", errorType: "overloaded_error", cache: "bypass" }),
    ]);
    const range = { fromMinute: T0_MINUTE, toMinute: T0_MINUTE + 2, stepMinutes: 1 };
    const totals = history.sumSlots(range).sort((a, b) => a.slot - b.slot || a.backend.localeCompare(b.backend));
    expect(
      totals.map((row) => [row.slot, row.backend, row.requests, row.errors, row.cacheHits, row.cacheMisses, row.cacheBypasses]),
    ).toEqual([
      [0, "", 1, 0, 1, 0, 0],
      [0, "llama", 2, 0, 0, 2, 0],
      [1, "llama", 1, 1, 0, 0, 1],
    ]);
    const llama = totals[1]!;
    expect(llama.latencyMsSum).toBe(4000);
    // Only the completed stream counts for speed: 80 tokens over the 800 ms after its first token.
    expect([llama.generationTokens, llama.generationMsSum]).toEqual([80, 800]);
    expect(totals[0]!.hitLatencyMsSum).toBe(0.5);

    const buckets = history.countSlotBuckets({ ...range, toMinute: T0_MINUTE + 1 });
    const latency = buckets.filter((row) => row.kind === 0).map((row) => [row.bucket, row.count]);
    // 1000 ms: floor(4·log2 1000) = 39; 3000 ms: 46; 0.5 ms: -4.
    expect(latency.sort((a, b) => a[0]! - b[0]!)).toEqual([
      [-4, 1],
      [39, 1],
      [46, 1],
    ]);
    expect(
      buckets
        .filter((row) => row.kind === 1)
        .map((row) => row.bucket)
        .sort((a, b) => a - b),
    ).toEqual([-4, 30]);
  });

  test("slots of several minutes group the minutes from the range's start", () => {
    const { history } = openRepository();
    history.insert([0, 1, 2, 3, 4].map((minute) => makeHistoryRow({ at: T0 + minute * MINUTE })));
    const slots = history.sumSlots({ fromMinute: T0_MINUTE - 1, toMinute: T0_MINUTE + 5, stepMinutes: 3 });
    expect(slots.map((row) => [row.slot, row.requests])).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  test("recent errors are the newest failed rows since a time", () => {
    const { history } = openRepository();
    history.insert([
      makeHistoryRow({ at: T0, errorType: "api_error", status: 502, requestId: "old" }),
      makeHistoryRow({ at: T0 + 10, requestId: "fine" }),
      makeHistoryRow({ at: T0 + 20, errorType: "overloaded_error", status: 529, requestId: "new" }),
    ]);
    expect(history.listErrors(T0, 10).map((row) => row.requestId)).toEqual(["new", "old"]);
    expect(history.listErrors(T0 + 1, 10).map((row) => row.requestId)).toEqual(["new"]);
  });

  test("retention drops rows by age and beyond the newest maxRows, in chunks, and old minutes' totals", () => {
    const { history } = openRepository();
    history.insert(Array.from({ length: 30 }, (_, index) => makeHistoryRow({ at: T0 + index * MINUTE, requestId: `req_${index}` })));
    // Ten minutes old at most: rows 0-19 are too old, but at most 8 go per call.
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(8);
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(8);
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(4);
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(0);
    const everything = { fromMinute: 0, toMinute: T0_MINUTE + 60, stepMinutes: T0_MINUTE + 60 };
    expect(history.sumSlots(everything)[0]!.requests).toBe(10);
    expect(history.countSlotBuckets(everything).reduce((sum, row) => sum + row.count, 0)).toBe(20);

    // Keep 4 rows: the six oldest left go; the minutes' totals stay, for maxAgeDays.
    expect(history.deleteOld(T0, 4, 100)).toBe(6);
    expect(history.list(100).map((row) => row.requestId)).toEqual(["req_29", "req_28", "req_27", "req_26"]);
    expect(history.sumSlots(everything)[0]!.requests).toBe(10);
  });
});
