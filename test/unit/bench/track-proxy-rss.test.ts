import { afterAll, describe, expect, test } from "bun:test";
import { trackProxyRss } from "../../../bench/track-proxy-rss";

const MB = 1024 * 1024;
const hits = new Map<string, number>();
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    await request.text();
    const path = new URL(request.url).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    return new Response("ok");
  },
});
afterAll(() => server.stop(true));

const kinds = ["/json", "/stream"].map((path) => ({ url: `http://127.0.0.1:${server.port}${path}`, headers: {}, body: "{}" }));

/** A readRss that returns the given megabytes one call after the other. */
function scripted(megabytes: number[]): () => number {
  let call = 0;
  return () => megabytes[call++]! * MB;
}

describe("trackProxyRss", () => {
  test("samples before the first batch and after each, splitting every batch evenly across the kinds", async () => {
    hits.clear();
    const track = await trackProxyRss(kinds, {
      total: 10,
      every: 2,
      concurrency: 4,
      readRss: scripted([10, 20, 30, 30, 30, 30, 25]),
      settleMs: 0,
    });
    expect(track.samples.map((sample) => [sample.requests, sample.bytes / MB])).toEqual([
      [0, 10],
      [2, 20],
      [4, 30],
      [6, 30],
      [8, 30],
      [10, 30],
    ]);
    expect(Object.fromEntries(hits)).toEqual({ "/json": 5, "/stream": 5 });
    expect(track.peakBytes).toBe(30 * MB);
    expect(track.firstHalfGrowthBytes).toBe(20 * MB);
    expect(track.secondHalfGrowthBytes).toBe(0);
    expect(track.secondHalfTrendBytes).toBe(0);
    // One more reading once the load has stopped: what the process keeps.
    expect(track.settledBytes).toBe(25 * MB);
  });

  test("a steady climb in the second half shows in its trend even when the end points hide it", async () => {
    // 4, 6, 8 requests climb 1 MB a sample; the last sample dips back to the middle's level.
    const track = await trackProxyRss(kinds, {
      total: 10,
      every: 2,
      concurrency: 2,
      readRss: scripted([10, 10, 10, 11, 12, 10, 9]),
      settleMs: 0,
    });
    expect(track.secondHalfGrowthBytes).toBe(0);
    expect(track.secondHalfTrendBytes).toBeGreaterThan(0);
  });
});
