/**
 * anyclaude with its data dir on a disk that fills up or is read-only (a small tmpfs; root only):
 * every request is still answered, the failed cache writes are counted and logged once, no
 * history row written before is lost, the file passes integrity_check, and once the disk has room
 * again the cache stores answers and the rows kept during the outage are written.
 */

import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { mountSmallTmpfs } from "../support/small-tmpfs";
import type { StartedProxy } from "../support/start-proxy";
import { startCachingProxy } from "./cache-test-kit";

const WRITER = join(import.meta.dir, "../support/cache-writer-process.ts");
const disk = mountSmallTmpfs(16);
if (!disk) console.warn("not root, or mount is not allowed here: skipping the disk fault tests");
const backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "Stored, or not." })));
afterAll(async () => {
  await backend.stop();
  disk?.unmount();
});

let asked = 0;
async function ask(
  proxy: StartedProxy,
  question = `question ${++asked}`,
): Promise<{ status: number; cache: string | null; requestId: string | null }> {
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 32, messages: [{ role: "user", content: question }] }),
  });
  await response.arrayBuffer();
  return { status: response.status, cache: response.headers.get("x-anyclaude-cache"), requestId: response.headers.get("request-id") };
}

async function readMetric(proxy: StartedProxy, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${proxy.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

/** Asks until the answer comes from the cache: the background write landed. */
async function untilHit(proxy: StartedProxy, question: string): Promise<void> {
  while ((await ask(proxy, question)).cache !== "hit") await Bun.sleep(50);
}

async function listedRequestIds(proxy: StartedProxy): Promise<string[]> {
  const page = (await (await fetch(`${proxy.url}/api/requests?limit=500`)).json()) as { requests: Array<{ requestId: string }> };
  return page.requests.map((row) => row.requestId);
}

function integrityOf(path: string): string {
  const db = new Database(path);
  try {
    return db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").get()!.integrity_check;
  } finally {
    db.close();
  }
}

describe.skipIf(!disk)("the data dir's disk", () => {
  test("full: answers go on, cache writes fail counted and logged once, rows are kept and written once there is room", async () => {
    const dataDir = join(disk!.dir, "full");
    const proxy = await startCachingProxy(
      { url: backend.url, kind: "llamacpp", mode: "translate" },
      { dataDir, cache: { semantic: { enabled: false } } },
    );
    try {
      await ask(proxy, "stored before");
      await untilHit(proxy, "stored before");
      const before = await listedRequestIds(proxy);
      expect(before.length).toBeGreaterThanOrEqual(2);

      disk!.fill();
      const during = [];
      for (let index = 0; index < 12; index++) during.push(await ask(proxy));
      expect(during.map((reply) => reply.status)).toEqual(Array(12).fill(200));
      // Lookups still read the file: what was stored before is still a hit.
      expect((await ask(proxy, "stored before")).cache).toBe("hit");
      while ((await readMetric(proxy, /anyclaude_cache_store_errors_total\{store="sqlite",operation="put"\} (\d+)/)) < 12)
        await Bun.sleep(50);
      // Listing flushes the history first: its write fails here, and the rows already written are still read.
      expect(await listedRequestIds(proxy)).toEqual(expect.arrayContaining(before));
      const warnings = proxy.logs.filter((record) => record.level === "warn" || record.level === "error");
      expect(warnings.map((record) => record.msg).sort()).toEqual([
        "cache store unavailable; serving without the cache until it answers again",
        "could not write the request history; rows are kept until it can",
      ]);

      disk!.free();
      const after = await ask(proxy, "stored after");
      expect(after.cache).toBe("miss");
      await untilHit(proxy, "stored after");
      expect(proxy.logs.some((record) => record.msg === "cache store answers again")).toBe(true);
      const listed = new Set(await listedRequestIds(proxy));
      for (const requestId of [...before, ...during.map((reply) => reply.requestId!)]) expect(listed.has(requestId)).toBe(true);
      expect(proxy.logs.some((record) => record.msg === "request history written again")).toBe(true);
    } finally {
      await proxy.stop();
      disk!.free();
    }
    expect(integrityOf(join(dataDir, "anyclaude.db"))).toBe("ok");
  }, 60_000);

  test("still full at shutdown: stop() completes, and after a restart with room every row written before is there", async () => {
    const full = mountSmallTmpfs(16)!;
    const dataDir = join(full.dir, "full-at-stop");
    try {
      const proxy = await startCachingProxy(
        { url: backend.url, kind: "llamacpp", mode: "translate" },
        { dataDir, cache: { semantic: { enabled: false } } },
      );
      await ask(proxy, "stored before the fill");
      await untilHit(proxy, "stored before the fill");
      const before = await listedRequestIds(proxy);
      full.fill();
      for (let index = 0; index < 4; index++) expect((await ask(proxy)).status).toBe(200);
      await proxy.stop();
      expect(proxy.logs.filter((record) => record.level === "error")).toEqual([]);
      full.free();
      expect(integrityOf(join(dataDir, "anyclaude.db"))).toBe("ok");
      const again = await startCachingProxy(
        { url: backend.url, kind: "llamacpp", mode: "translate" },
        { dataDir, cache: { semantic: { enabled: false } } },
      );
      try {
        expect((await ask(again, "stored before the fill")).cache).toBe("hit");
        expect(await listedRequestIds(again)).toEqual(expect.arrayContaining(before));
      } finally {
        await again.stop();
      }
    } finally {
      full.unmount();
    }
  }, 60_000);

  test("read-only at start: answers go on with the cache bypassed and counted, one warning each; writable again: the cache and the kept rows come back, nothing written before is lost", async () => {
    const readOnly = mountSmallTmpfs(16)!;
    const dataDir = join(readOnly.dir, "read-only");
    const path = join(dataDir, "anyclaude.db");
    mkdirSync(dataDir);
    // Written by another process, as a previous run would have: its files are closed when it exits.
    const writer = Bun.spawn([process.execPath, WRITER, path, "earlier", "20"], { stdout: "pipe", stderr: "pipe" });
    const written = (await new Response(writer.stdout).text()).trim().split("\n");
    expect(await writer.exited).toBe(0);
    try {
      await readOnly.remount("ro");
      const proxy = await startCachingProxy(
        { url: backend.url, kind: "llamacpp", mode: "translate" },
        { dataDir, cache: { semantic: { enabled: false } }, start: { reopenStoreMs: 100 } },
      );
      try {
        const during = [];
        for (let index = 0; index < 6; index++) during.push(await ask(proxy));
        expect(during.map((reply) => [reply.status, reply.cache])).toEqual(Array(6).fill([200, "bypass"]));
        // The history opens its store on the first write or read; /api/requests is 404 while it cannot.
        expect((await fetch(`${proxy.url}/api/requests`)).status).toBe(404);
        // Retried quietly: later requests add no warning.
        await Bun.sleep(150);
        for (let index = 0; index < 3; index++) during.push(await ask(proxy));
        expect((await fetch(`${proxy.url}/api/requests`)).status).toBe(404);
        expect(await readMetric(proxy, /anyclaude_cache_lookups_total\{outcome="bypass"\} (\d+)/)).toBe(9);
        const warnings = proxy.logs.filter((record) => record.level === "warn" || record.level === "error").map((record) => record.msg);
        expect(warnings.sort()).toEqual([
          "client keys of the store unavailable: its data directory cannot be used; configured keys only",
          "request history paused: its data directory cannot be used; rows are kept and it is tried again",
          "response cache off while its data directory cannot be used",
        ]);

        await readOnly.remount("rw");
        let reply = await ask(proxy, "after the fault");
        while (reply.cache === "bypass") {
          await Bun.sleep(50);
          reply = await ask(proxy, "after the fault");
        }
        expect(reply.cache).toBe("miss");
        await untilHit(proxy, "after the fault");
        const listed = new Set(await listedRequestIds(proxy));
        expect(during.filter((kept) => !listed.has(kept.requestId!))).toEqual([]);
        expect(proxy.logs.map((record) => record.msg)).toEqual(
          expect.arrayContaining(["response cache open again", "request history open again"]),
        );
      } finally {
        await proxy.stop();
      }
      expect(integrityOf(path)).toBe("ok");
      const db = new Database(path, { readonly: true });
      const present = new Set(
        db
          .query<{ key: string }, []>("SELECT key FROM cache_entries")
          .all()
          .map((row) => row.key),
      );
      db.close();
      expect(written.filter((key) => !present.has(key))).toEqual([]);
    } finally {
      readOnly.unmount();
    }
  }, 60_000);
});
