/**
 * The request history on a real SQLite file: rows written in batches with what they add to the
 * totals per minute, quarter hour and four hours (sumRowsByPeriod), which add up across batches
 * (histograms too), pages run newest first, retention drops rows by age and
 * by count, and the totals of minutes past the age limit, never those of rows dropped by count;
 * a row's prompt and answer (history.storeBodies) are read with it and leave with it.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/open-store";
import { RequestHistoryRepository } from "../../../src/store/request-history-repository";
import type { NewRequestHistoryRow, PendingHistoryRow } from "../../../src/store/request-history-row";
import { requestBodies } from "../../../src/store/schema";
import { makeHistoryRow, writeHistoryRows } from "../../support/history-rows";

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
    writeHistoryRows(history, rows);
    const first = history.list(2);
    expect(first.map((row) => row.requestId)).toEqual(["req_4", "req_3"]);
    const second = history.list(2, first.at(-1)!.id);
    expect(second.map((row) => row.requestId)).toEqual(["req_2", "req_1"]);
    expect(history.list(10, second.at(-1)!.id).map((row) => row.requestId)).toEqual(["req_0"]);
    // Booleans and NULLs come back as they went in.
    expect(first[0]).toMatchObject({ stream: true, fallback: false, ttftMs: 120, errorType: null, contextUtilization: null });
  });

  test("each minute's totals per backend, durations in buckets of a quarter doubling, added up across batches", () => {
    const { history } = openRepository();
    writeHistoryRows(history, [
      makeHistoryRow({ at: T0, backend: "llama", latencyMs: 1000, ttftMs: 200, outputTokens: 80, cache: "miss" }),
      makeHistoryRow({ at: T0 + 1000, backend: "llama", latencyMs: 3000, ttftMs: null, stream: false, outputTokens: 20, cache: "miss" }),
    ]);
    writeHistoryRows(history, [
      makeHistoryRow({ at: T0 + 2000, backend: null, latencyMs: 0.5, ttftMs: 0.5, cache: "hit", route: "sonnet" }),
      makeHistoryRow({ at: T0 + 3000, backend: "llama", latencyMs: 1010, ttftMs: 210, outputTokens: 10, cache: "miss" }),
      makeHistoryRow({ at: T0 + MINUTE, backend: "llama", status: 529, outcome: "failed", errorType: "overloaded_error", cache: "bypass" }),
    ]);
    const periods = history
      .readPeriods({ span: 1, fromMinute: T0_MINUTE, toMinute: T0_MINUTE + 2 })
      .sort((a, b) => a.minute - b.minute || a.backend.localeCompare(b.backend));
    expect(
      periods.map((row) => [
        row.minute - T0_MINUTE,
        row.backend,
        row.requests,
        row.errors,
        row.cacheHits,
        row.cacheMisses,
        row.cacheBypasses,
      ]),
    ).toEqual([
      [0, "", 1, 0, 1, 0, 0],
      [0, "llama", 3, 0, 0, 3, 0],
      [1, "llama", 1, 1, 0, 0, 1],
    ]);
    const [hit, llama] = periods;
    expect(llama!.latencyMsSum).toBe(5010);
    // Only completed streams count for speed: 80 + 10 tokens over the 800 + 800 ms after their first token.
    expect([llama!.generationTokens, llama!.generationMsSum]).toEqual([90, 1600]);
    expect(hit!.hitLatencyMsSum).toBe(0.5);
    // A hit's tokens were a backend's work the first time, not now.
    expect([hit!.inputTokens, hit!.outputTokens]).toEqual([0, 0]);
    // 1000 and 1010 ms, one per batch: floor(4·log2 1000) = 39; 3000 ms: 46; the JSON answer has no first token.
    expect(JSON.parse(llama!.latencyHistogram)).toEqual({ "39": 2, "46": 1 });
    expect(JSON.parse(llama!.ttftHistogram)).toEqual({ "30": 2 });
    expect([JSON.parse(hit!.latencyHistogram), JSON.parse(hit!.ttftHistogram)]).toEqual([{ "-4": 1 }, { "-4": 1 }]);
  });

  test("quarter hours and four hours hold the totals of their minutes", () => {
    const { history } = openRepository();
    writeHistoryRows(
      history,
      [0, 1, 2, 3, 4, 61].map((minute) => makeHistoryRow({ at: T0 + minute * MINUTE, latencyMs: 100 + minute })),
    );
    expect(history.readPeriods({ span: 1, fromMinute: T0_MINUTE, toMinute: T0_MINUTE + 3 }).map((row) => row.requests)).toEqual([1, 1, 1]);
    const quarters = history.readPeriods({ span: 15, fromMinute: T0_MINUTE, toMinute: T0_MINUTE + 120 });
    expect(quarters.map((row) => [row.minute - T0_MINUTE, row.requests, row.latencyMsSum, JSON.parse(row.latencyHistogram)])).toEqual([
      [0, 5, 510, { "26": 5 }],
      [60, 1, 161, { "29": 1 }],
    ]);
    // T0 is 10:00 UTC: its four hours began at 08:00.
    const fours = history.readPeriods({ span: 240, fromMinute: T0_MINUTE - 240, toMinute: T0_MINUTE + 240 });
    expect(fours.map((row) => [row.minute - T0_MINUTE, row.requests])).toEqual([[-120, 6]]);
  });

  test("recent errors are the newest failed rows since a time", () => {
    const { history } = openRepository();
    writeHistoryRows(history, [
      makeHistoryRow({ at: T0, errorType: "api_error", status: 502, requestId: "old" }),
      makeHistoryRow({ at: T0 + 10, requestId: "fine" }),
      makeHistoryRow({ at: T0 + 20, errorType: "overloaded_error", status: 529, requestId: "new" }),
    ]);
    expect(history.listErrors(T0, 10).map((row) => row.requestId)).toEqual(["new", "old"]);
    expect(history.listErrors(T0 + 1, 10).map((row) => row.requestId)).toEqual(["new"]);
  });

  test("retention drops rows by age and beyond the newest maxRows, in chunks, and old minutes' totals", () => {
    const { history } = openRepository();
    writeHistoryRows(
      history,
      Array.from({ length: 30 }, (_, index) => makeHistoryRow({ at: T0 + index * MINUTE, requestId: `req_${index}` })),
    );
    // Ten minutes old at most: rows 0-19 are too old, but at most 8 go per call.
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(8);
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(8);
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(4);
    expect(history.deleteOld(T0 + 20 * MINUTE, 1000, 8)).toBe(0);
    const requestsIn = (span: number) =>
      history.readPeriods({ span, fromMinute: 0, toMinute: T0_MINUTE + 120 }).reduce((sum, row) => sum + row.requests, 0);
    // Periods that began before the cutoff went whole: minutes 20-29 are left only in their own minutes.
    expect([requestsIn(1), requestsIn(15), requestsIn(240)]).toEqual([10, 0, 0]);

    // Keep 4 rows: the six oldest left go; the minutes' totals stay, for maxAgeDays.
    expect(history.deleteOld(T0, 4, 100)).toBe(6);
    expect(history.list(100).map((row) => row.requestId)).toEqual(["req_29", "req_28", "req_27", "req_26"]);
    expect(requestsIn(1)).toBe(10);
  });

  test("a row's prompt and answer, when kept, are read with it, and leave with it", () => {
    const { store, history } = openRepository();
    const bodies = { prompt: '{"messages":[]}', answer: '{"content":[]}', truncated: false };
    const rows: PendingHistoryRow[] = [
      { ...makeHistoryRow({ at: T0, requestId: "old" }), bodies },
      makeHistoryRow({ at: T0 + MINUTE, requestId: "without" }),
      { ...makeHistoryRow({ at: T0 + 2 * MINUTE, requestId: "new" }), bodies: { ...bodies, truncated: true } },
    ];
    writeHistoryRows(history, rows);
    const [newest, without, oldest] = history.list(10);
    expect(history.get(oldest!.id)).toMatchObject({ requestId: "old", bodies });
    expect(history.get(without!.id)).toMatchObject({ requestId: "without", bodies: null });
    expect(history.get(newest!.id)?.bodies?.truncated).toBe(true);
    expect(history.get(newest!.id + 1)).toBeUndefined();

    expect(history.deleteOld(T0 + 1, 1000, 100)).toBe(1);
    expect(history.get(oldest!.id)).toBeUndefined();
    expect(history.deleteOld(T0, 1, 100)).toBe(1);
    expect(history.get(newest!.id)?.bodies).toEqual({ ...bodies, truncated: true });
    expect(store.db.select().from(requestBodies).all()).toHaveLength(1);
    expect(history.deleteOld(T0 + 3 * MINUTE, 1000, 100)).toBe(1);
    expect(store.db.select().from(requestBodies).all()).toHaveLength(0);
  });
});
