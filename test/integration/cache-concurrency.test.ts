/**
 * Twenty identical requests at once, half streamed, all miss together (the cache does not hold
 * requests back to wait for each other) and all store the same answer: every one must succeed,
 * the store must end with one consistent entry, and the next request must hit it.
 */

import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { STORE_FILE_NAME } from "../../src/store/open-store";
import { anthropicJson, anthropicStream, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../support/fake-anthropic-events";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import type { StartedProxy } from "../support/start-proxy";
import { BASE_REQUEST, exactEntries, makeScratchDir, post, postAndRead, readStats, useCachingProxyForFile } from "./cache-test-kit";

const ANSWER = { blocks: [{ type: "text" as const, text: "Same answer for everyone. ".repeat(50) }], pieces: 8 };
const dir = makeScratchDir("cache-concurrency");
const backend = startFakeAnthropicBackend((request) =>
  (request.body as { stream?: boolean }).stream
    ? anthropicStream([{ pauseMs: 20 }, ...anthropicMessageEvents(ANSWER)])
    : anthropicJson(anthropicMessageBody(ANSWER)),
);
let proxy: StartedProxy;

useCachingProxyForFile(backend, dir, (started) => (proxy = started));

test("20 concurrent identical requests all succeed, leave one consistent entry, and the next request hits", async () => {
  const replies = await Promise.all(
    Array.from({ length: 20 }, async (_, index) => {
      const stream = index % 2 === 0;
      const response = await post(proxy, { ...BASE_REQUEST, stream });
      if (!stream)
        return {
          status: response.status,
          cache: response.headers.get("x-anyclaude-cache"),
          text: ((await response.json()) as { content: Array<{ text: string }> }).content[0]!.text,
        };
      const events = await readAnthropicEvents(response);
      const text = events
        .flatMap((event) => (event.type === "content_block_delta" && event.delta.type === "text_delta" ? [event.delta.text] : []))
        .join("");
      return { status: response.status, cache: response.headers.get("x-anyclaude-cache"), text };
    }),
  );
  expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(200));
  expect(new Set(replies.map((reply) => reply.text))).toEqual(new Set([ANSWER.blocks[0]!.text]));
  expect(replies.every((reply) => reply.cache === "miss" || reply.cache === "hit")).toBe(true);

  const stats = await readStats(proxy);
  expect(exactEntries(stats)).toBe(1);
  expect(stats.counters.total.storeErrors).toBe(0);
  const after = await postAndRead(proxy, BASE_REQUEST);
  expect(after.cache).toBe("hit");

  const check = new Database(join(dir, STORE_FILE_NAME), { readonly: true });
  try {
    expect(check.query("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    expect(check.query("SELECT count(*) AS n FROM cache_entries").get()).toEqual({ n: 1 });
    expect(check.query("SELECT entries FROM cache_entry_totals").get()).toEqual({ entries: 1 });
  } finally {
    check.close();
  }
});
