/**
 * The tool-result cache against a real SQLite store in a temporary directory, on a clock the
 * test sets: the key ignores the input's key order, a result lives for its TTL, the oldest go
 * beyond the entry budget, and a store that cannot open turns the cache off after one failure.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProxyTool, textOutput } from "../../../src/proxy-tools/proxy-tool";
import { StoredToolResultCache } from "../../../src/server/stored-tool-result-cache";
import { openStore } from "../../../src/store/open-store";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-tool-results-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tool = (name: string) => ({ name }) as ProxyTool;
let now = 1_000_000;
let created = 0;
const caches: StoredToolResultCache[] = [];

function createCache(maxEntries = 100): StoredToolResultCache {
  const path = join(dir, `store-${++created}.db`);
  const cache = new StoredToolResultCache({ ttlMs: 60_000, maxEntries, openStore: () => openStore({ path }), now: () => now });
  caches.push(cache);
  return cache;
}
afterAll(() => {
  for (const cache of caches) cache.close();
});

test("a result is found by the tool and the same input in any key order, until its TTL passes", async () => {
  const cache = createCache();
  await cache.put(tool("mcp__kb__lookup"), { key: "a", options: { exact: true, limit: 1 } }, textOutput("A"));
  expect(await cache.get(tool("mcp__kb__lookup"), { options: { limit: 1, exact: true }, key: "a" })).toEqual(textOutput("A"));
  expect(await cache.get(tool("mcp__kb__other"), { key: "a", options: { exact: true, limit: 1 } })).toBeUndefined();
  expect(await cache.get(tool("mcp__kb__lookup"), { key: "b" })).toBeUndefined();
  now += 60_000;
  expect(await cache.get(tool("mcp__kb__lookup"), { key: "a", options: { exact: true, limit: 1 } })).toBeUndefined();
});

test("beyond the entry budget the oldest results go", async () => {
  const cache = createCache(2);
  for (const key of ["a", "b", "c"]) {
    now += 1;
    await cache.put(tool("t"), { key }, textOutput(key));
  }
  expect(await cache.get(tool("t"), { key: "a" })).toBeUndefined();
  expect(await cache.get(tool("t"), { key: "b" })).toEqual(textOutput("b"));
  expect(await cache.get(tool("t"), { key: "c" })).toEqual(textOutput("c"));
});

test("a store that cannot open fails the first lookup, then leaves the cache off", async () => {
  let attempts = 0;
  const cache = new StoredToolResultCache({
    ttlMs: 1000,
    maxEntries: 10,
    openStore: () => {
      attempts++;
      throw new Error("disk full");
    },
  });
  await expect(cache.get(tool("t"), {})).rejects.toThrow("disk full");
  expect(await cache.get(tool("t"), {})).toBeUndefined();
  await cache.put(tool("t"), {}, textOutput("x"));
  expect(attempts).toBe(1);
});
