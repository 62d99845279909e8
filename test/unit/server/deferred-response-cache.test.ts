/**
 * The response cache behind `serve` is opened on first use, modules and all: until then no data
 * dir is touched; lookups that arrive while it opens share one opening; close closes the store
 * it opened, and opens nothing when it was never used. Real store: a SQLite file in a scratch dir.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load-config";
import { createLogger } from "../../../src/log/logger";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import { DeferredResponseCache } from "../../../src/server/deferred-response-cache";
import { STORE_FILE_NAME } from "../../../src/store/open-store";

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-deferred-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const REQUEST: MessageCreateParams = { model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "Say hi." }] };
const DIRECTIVE = { lookup: true, store: true };

function deferredCache(dataDir: string) {
  const config = loadConfig({ env: { ANYCLAUDE_CACHE__SEMANTIC__ENABLED: "false" }, flags: { dataDir, cacheDir: join(dataDir, "cache") } });
  // Any warning (a store that could not open) fails the test with its text.
  const logger = createLogger({ level: "warn", format: "text", write: (line) => expect(line).toBe("") });
  let opened = 0;
  const cache = new DeferredResponseCache(async () => {
    opened++;
    const { createResponseCache } = await import("../../../src/server/create-response-cache");
    return createResponseCache(config, { env: {}, logger });
  });
  return { cache, openings: () => opened };
}

test("nothing is opened before the first lookup; lookups that arrive together share one opening", async () => {
  const dataDir = join(scratch, "first-use");
  const { cache, openings } = deferredCache(dataDir);
  expect(openings()).toBe(0);
  expect(existsSync(dataDir)).toBe(false);

  const lookups = await Promise.all([0, 1, 2].map(() => cache.lookup(REQUEST, "local/qwen", DIRECTIVE)));
  expect(openings()).toBe(1);
  expect(lookups.map((lookup) => lookup.outcome)).toEqual(["miss", "miss", "miss"]);
  expect(existsSync(join(dataDir, STORE_FILE_NAME))).toBe(true);
  await cache.close();
});

test("close closes the store it opened, which empties its write-ahead log into the file", async () => {
  const dataDir = join(scratch, "close");
  const { cache } = deferredCache(dataDir);
  await cache.lookup(REQUEST, "local/qwen", DIRECTIVE);
  const wal = join(dataDir, `${STORE_FILE_NAME}-wal`);
  expect(statSync(wal).size).toBeGreaterThan(0);
  await cache.close();
  expect(statSync(wal).size).toBe(0);
});

test("close on a cache never used opens nothing", async () => {
  const dataDir = join(scratch, "unused");
  const { cache, openings } = deferredCache(dataDir);
  await cache.whenIdle();
  await cache.close();
  expect(openings()).toBe(0);
  expect(existsSync(dataDir)).toBe(false);
});

test("a cache that cannot open answers every lookup with bypass, and stats says why", async () => {
  const cache = new DeferredResponseCache(async () => undefined);
  expect(await cache.lookup(REQUEST, "local/qwen", DIRECTIVE)).toEqual({ outcome: "bypass", key: "" });
  await expect(cache.stats()).rejects.toThrow("could not be opened");
});
