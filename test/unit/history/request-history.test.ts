/**
 * RequestHistory on a real store: recording only keeps rows in memory and tells live listeners;
 * rows reach the store in batches of at most 200 per flush (on its timer, when read, on close); a store that
 * fails keeps them for the next try; retention runs as rows are written; nothing is opened
 * before there is something to write or read.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpenedHistoryStore, RequestHistory, type RequestHistoryOptions } from "../../../src/history/request-history";
import type { RequestRow } from "../../../src/history/request-stats-schema";
import { openStore } from "../../../src/store/open-store";
import { RequestHistoryRepository } from "../../../src/store/request-history-repository";
import { makeHistoryRow } from "../../support/history-rows";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-request-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.parse("2026-03-04T10:00:00Z");
const DAY = 86_400_000;
let files = 0;

/** A history on a fresh file, counting opens, inserts and errors; `insert` can be made to fail. */
function makeHistory(options: Partial<RequestHistoryOptions> = {}) {
  const store = openStore({ path: join(dir, `history-${files++}.db`) });
  const repository = new RequestHistoryRepository(store.db);
  const seen = { opens: 0, batches: [] as number[], errors: [] as string[], closed: false, failInserts: false };
  const insert = repository.insert.bind(repository);
  repository.insert = (rows, periods) => {
    if (seen.failInserts) throw new Error("disk full");
    seen.batches.push(rows.length);
    insert(rows, periods);
  };
  const opened: OpenedHistoryStore = {
    repository,
    close: () => {
      seen.closed = true;
      store.close();
    },
  };
  const history = new RequestHistory({
    open: async () => {
      seen.opens++;
      return opened;
    },
    flushIntervalMs: 60_000,
    maxAgeMs: 30 * DAY,
    maxRows: 1_000_000,
    now: () => NOW,
    onError: (message) => seen.errors.push(message),
    ...options,
  });
  return { history, repository, seen };
}

describe("RequestHistory", () => {
  test("record keeps rows in memory; a flush writes them in one batch; nothing opens before that", async () => {
    const { history, repository, seen } = makeHistory();
    await history.flush();
    expect(seen.opens).toBe(0);
    for (let index = 0; index < 3; index++) history.record(makeHistoryRow({ at: NOW, requestId: `req_${index}` }));
    expect(seen.batches).toEqual([]);
    await history.flush();
    expect(seen.batches).toEqual([3]);
    expect(repository.list(10).map((row) => row.requestId)).toEqual(["req_2", "req_1", "req_0"]);
    await history.close();
    expect(seen.closed).toBe(true);
  });

  test("the timer writes what was recorded", async () => {
    const { history, seen } = makeHistory({ flushIntervalMs: 100 });
    history.record(makeHistoryRow({ at: NOW }));
    for (let waited = 0; seen.batches.length === 0 && waited < 5000; waited += 20) await Bun.sleep(20);
    expect(seen.batches).toEqual([1]);
    await history.close();
  });

  test("close writes what is pending, then records nothing more", async () => {
    const { history, seen } = makeHistory();
    history.record(makeHistoryRow({ at: NOW }));
    await history.close();
    expect(seen).toMatchObject({ batches: [1], closed: true });
    history.record(makeHistoryRow({ at: NOW }));
    await history.flush();
    expect(seen.batches).toEqual([1]);
  });

  test("reads see the rows still pending", async () => {
    const { history } = makeHistory();
    history.record(makeHistoryRow({ at: NOW - 1000, requestId: "just-now", cache: "hit", backend: null }));
    expect((await history.listRequests(10))?.map((row) => row.requestId)).toEqual(["just-now"]);
    history.record(makeHistoryRow({ at: NOW - 500 }));
    expect(await history.readStats(3_600_000)).toMatchObject({ requests: 2, cache: { hits: 1, misses: 1 } });
    await history.close();
  });

  test("live listeners get each row as recorded, without an id, until they stop", async () => {
    const { history } = makeHistory();
    const received: RequestRow[] = [];
    const stop = history.subscribe((row) => received.push(row));
    history.record(makeHistoryRow({ at: NOW, requestId: "first" }));
    stop();
    history.record(makeHistoryRow({ at: NOW, requestId: "second" }));
    expect(received).toEqual([expect.objectContaining({ id: null, requestId: "first", errorType: null, toolCalls: null })]);
    await history.close();
  });

  test("failed writes keep their rows for the next one, in order, and are reported once until one works", async () => {
    let recovered = 0;
    const { history, repository, seen } = makeHistory({ onRecovered: () => recovered++ });
    history.record(makeHistoryRow({ at: NOW, requestId: "a" }));
    seen.failInserts = true;
    await history.flush();
    history.record(makeHistoryRow({ at: NOW, requestId: "b" }));
    await history.flush();
    await history.flush();
    expect(seen.errors).toEqual(["could not write the request history; rows are kept until it can"]);
    expect(recovered).toBe(0);
    seen.failInserts = false;
    await history.flush();
    expect(repository.list(10).map((row) => row.requestId)).toEqual(["b", "a"]);
    expect(recovered).toBe(1);
    seen.failInserts = true;
    history.record(makeHistoryRow({ at: NOW, requestId: "c" }));
    await history.flush();
    expect(seen.errors).toHaveLength(2);
    await history.close();
  });

  test("a store that cannot open leaves the reads undefined and the server running", async () => {
    const errors: string[] = [];
    const history = new RequestHistory({
      open: async () => undefined,
      flushIntervalMs: 60_000,
      maxAgeMs: DAY,
      maxRows: 1000,
      onError: (message) => errors.push(message),
    });
    history.record(makeHistoryRow());
    await history.flush();
    expect(await history.readStats(60_000)).toBeUndefined();
    expect(await history.listRequests(10)).toBeUndefined();
    await history.close();
    expect(errors).toEqual([]);
  });

  test("a burst is written 200 rows per transaction; writing applies retention: rows past maxAgeMs and beyond maxRows go", async () => {
    const { history, repository, seen } = makeHistory({ maxAgeMs: DAY, maxRows: 1000 });
    const rows = Array.from({ length: 1003 }, (_, index) => makeHistoryRow({ at: NOW - 1000 + index, requestId: `req_${index}` }));
    for (const row of [makeHistoryRow({ at: NOW - 2 * DAY, requestId: "too-old" }), ...rows]) history.record(row);
    await history.flush();
    expect(seen.batches).toEqual([200, 200, 200, 200, 200, 4]);
    const kept = repository.list(2000);
    expect(kept).toHaveLength(1000);
    expect(kept.at(-1)!.requestId).toBe("req_3");
    await history.close();
  });
});
