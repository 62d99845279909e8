/**
 * The cache across restarts of the proxy on one data dir: answers stored before a restart are
 * hits after it; a database file damaged while the proxy was down is moved aside with a
 * warning, a fresh one takes its place, and the proxy serves (and caches) as before.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STORE_FILE_NAME } from "../../src/store/open-store";
import { anthropicJson, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import { BASE_REQUEST, makeScratchDir, postAndRead, removeScratch, startCachingProxy } from "./cache-test-kit";

const backend = startFakeAnthropicBackend((_request, index) =>
  anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: `answer ${index}` }] })),
);
const dirs: string[] = [];
afterAll(async () => {
  await backend.stop();
  dirs.forEach(removeScratch);
});

function start(dataDir: string) {
  return startCachingProxy({ url: backend.url, kind: "anthropic", mode: "native" }, { dataDir });
}

test("a restarted proxy on the same data dir replays what the previous one stored", async () => {
  const dir = makeScratchDir("cache-restart");
  dirs.push(dir);
  const first = await start(dir);
  const stored = await postAndRead(first, BASE_REQUEST);
  await first.stop();

  const calls = backend.requestsTo("/v1/messages").length;
  const second = await start(dir);
  try {
    const replayed = await postAndRead(second, BASE_REQUEST);
    expect([stored.cache, replayed.cache]).toEqual(["miss", "hit"]);
    expect(JSON.parse(replayed.text).content).toEqual(JSON.parse(stored.text).content);
    expect(backend.requestsTo("/v1/messages").length).toBe(calls);
  } finally {
    await second.stop();
  }
});

test("a damaged database file is moved aside with a warning; the proxy serves and caches with a fresh one", async () => {
  const dir = makeScratchDir("cache-damaged-db");
  dirs.push(dir);
  const first = await start(dir);
  await postAndRead(first, BASE_REQUEST);
  await first.stop();
  const path = join(dir, STORE_FILE_NAME);
  writeFileSync(path, Buffer.alloc(readFileSync(path).length, 0x5a));

  const second = await start(dir);
  try {
    // The cache opens with the first request that can use it: that is when the damage is found.
    const afterDamage = await postAndRead(second, BASE_REQUEST);
    const warning = second.logs.find((record) => record.level === "warn" && /cache database was damaged/.test(record.msg));
    expect(warning).toBeDefined();
    const movedTo = warning!.movedTo as string;
    expect(movedTo).toStartWith(`${path}.corrupt-`);
    expect(readFileSync(movedTo)[0]).toBe(0x5a);
    expect(readdirSync(dir)).toContain(STORE_FILE_NAME);

    const again = await postAndRead(second, BASE_REQUEST);
    expect([afterDamage.status, afterDamage.cache, again.cache]).toEqual([200, "miss", "hit"]);
    expect(existsSync(path)).toBe(true);
  } finally {
    await second.stop();
  }
});
