/**
 * Backend request bodies are written into one reused buffer (ConversationMemo.writeBuffer), which
 * is safe only because Bun's fetch copies a body before it returns. If a Bun upgrade changes
 * that, this fails, and the reused buffer has to go.
 */
import { afterAll, expect, test } from "bun:test";

const received: string[] = [];
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    received.push(await request.text());
    return new Response("ok");
  },
});
afterAll(() => server.stop(true));

test.each([16, 64 * 1024, 4 * 1024 * 1024])(
  "a %i-byte body is what it was when fetch was called, whatever happens to the buffer after",
  async (size) => {
    const body = Buffer.alloc(size, "a");
    const answer = fetch(`http://127.0.0.1:${server.port}/`, { method: "POST", body: body.subarray(0, size) });
    body.fill("b");
    expect(await (await answer).text()).toBe("ok");
    const seen = received.at(-1)!;
    expect(seen.length).toBe(size);
    expect(seen.includes("b")).toBe(false);
  },
);
