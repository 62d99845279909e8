/**
 * Bypassing the cache: per request (`x-anyclaude-cache: bypass`, `cache-control: no-store`
 * read nor store; `no-cache` refreshes: asks the backend and stores the new answer) and per
 * route (`cache.bypassRoutes`, by route name or model group).
 */
import { describe, expect, test } from "bun:test";
import { anthropicJson, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import type { StartedProxy } from "../support/start-proxy";
import { BASE_REQUEST, makeScratchDir, postAndRead, removeScratch, startCachingProxy, useCachingProxyForFile } from "./cache-test-kit";

const dir = makeScratchDir("cache-bypass");
/** Every answer names the backend call it came from, so a test can tell a replay from a fresh answer. */
const backend = startFakeAnthropicBackend((_request, index) =>
  anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: `answer ${index}` }] })),
);
let proxy: StartedProxy;
let counter = 0;

function freshRequest() {
  return { ...BASE_REQUEST, messages: [{ role: "user", content: `question ${++counter}` }] };
}

const textOf = (reply: { text: string }) => JSON.parse(reply.text).content[0].text as string;

useCachingProxyForFile(backend, dir, (started) => (proxy = started));

describe("per request", () => {
  test("x-anyclaude-cache: bypass neither reads nor stores", async () => {
    const request = freshRequest();
    const bypassed = await postAndRead(proxy, request, { "x-anyclaude-cache": "bypass" });
    const next = await postAndRead(proxy, request);
    const stored = await postAndRead(proxy, request);
    const bypassedAgain = await postAndRead(proxy, request, { "x-anyclaude-cache": "BYPASS" });
    expect([bypassed.cache, next.cache, stored.cache, bypassedAgain.cache]).toEqual(["bypass", "miss", "hit", "bypass"]);
    expect(textOf(stored)).toBe(textOf(next));
    expect(textOf(bypassedAgain)).not.toBe(textOf(next));
    expect(bypassed.key).toBe(next.key!);
  });

  test("cache-control: no-store neither reads nor stores", async () => {
    const request = freshRequest();
    await postAndRead(proxy, request);
    const noStore = await postAndRead(proxy, request, { "cache-control": "max-age=0, no-store" });
    const after = await postAndRead(proxy, request);
    expect([noStore.cache, after.cache]).toEqual(["bypass", "hit"]);
    expect(textOf(after)).not.toBe(textOf(noStore));
  });

  test("cache-control: no-cache asks the backend and stores its new answer", async () => {
    const request = freshRequest();
    const first = await postAndRead(proxy, request);
    const refreshed = await postAndRead(proxy, request, { "cache-control": "no-cache" });
    const after = await postAndRead(proxy, request);
    expect([first.cache, refreshed.cache, after.cache]).toEqual(["miss", "bypass", "hit"]);
    expect(textOf(refreshed)).not.toBe(textOf(first));
    expect(textOf(after)).toBe(textOf(refreshed));
  });
});

describe("per route", () => {
  test("a listed route or model group is never cached; others are", async () => {
    const routedDir = makeScratchDir("cache-bypass-routes");
    const routed = await startCachingProxy(
      { url: backend.url, kind: "anthropic", mode: "native", models: ["big", "small"] },
      {
        dataDir: routedDir,
        cache: { bypassRoutes: ["haiku", "quick"] },
        overrides: {
          models: { sonnet: "local/big", opus: "quick", haiku: "local/small", aliases: {} },
          modelGroups: { quick: { strategy: "simple-shuffle", targets: ["local/small"], fallbacks: [] } },
        },
      },
    );
    try {
      const outcomes = async (model: string) => {
        const request = { ...freshRequest(), model };
        return [(await postAndRead(routed, request)).cache, (await postAndRead(routed, request)).cache];
      };
      expect(await outcomes("claude-haiku-5-5")).toEqual(["bypass", "bypass"]);
      expect(await outcomes("claude-opus-5-5")).toEqual(["bypass", "bypass"]);
      expect(await outcomes("claude-sonnet-5-5")).toEqual(["miss", "hit"]);
    } finally {
      await routed.stop();
      removeScratch(routedDir);
    }
  });
});
