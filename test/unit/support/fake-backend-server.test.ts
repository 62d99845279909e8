import { afterEach, describe, expect, test } from "bun:test";
import { type FakeBackend, type FakeScript, type RecordedRequest, startFakeBackend } from "../../support/fake-backend-server";

const ROUTE = "/v1/chat/completions";
let backend: FakeBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

function start(script: FakeScript): FakeBackend {
  backend = startFakeBackend({ routes: { [ROUTE]: script } });
  return backend;
}

function post(fake: FakeBackend, body: unknown = { stream: true }, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.url}${ROUTE}?x=1`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "k" },
    body: JSON.stringify(body),
    ...init,
  });
}

/** Resolves with the request the fake received, as soon as the script is asked for a reply. */
function arrival(): { script: (request: RecordedRequest) => { type: "hang" }; received: Promise<RecordedRequest> } {
  let resolve!: (request: RecordedRequest) => void;
  const received = new Promise<RecordedRequest>((r) => (resolve = r));
  return {
    script: (request) => {
      resolve(request);
      return { type: "hang" };
    },
    received,
  };
}

describe("recording", () => {
  test("keeps method, path, query, headers, raw and parsed body of every request, probes included", async () => {
    const fake = start({ type: "json", body: { ok: true } });
    await post(fake, { model: "m", stream: false });
    await fetch(`${fake.url}/health`);
    expect(fake.requests).toHaveLength(2);
    const [chat, health] = fake.requests;
    expect(chat).toMatchObject({ method: "POST", path: ROUTE, search: "?x=1", body: { model: "m", stream: false } });
    expect(chat!.rawBody).toBe(JSON.stringify({ model: "m", stream: false }));
    expect(chat!.headers["x-api-key"]).toBe("k");
    expect(health).toMatchObject({ method: "GET", path: "/health", rawBody: "", body: undefined });
    expect(fake.requestsTo(ROUTE)).toEqual([chat!]);
  });

  test("a body that is not JSON is kept raw and parsed as undefined", async () => {
    const fake = start({ type: "json", body: {} });
    await fetch(`${fake.url}${ROUTE}`, { method: "POST", body: "{not json" });
    expect(fake.requests[0]).toMatchObject({ rawBody: "{not json", body: undefined });
  });
});

describe("scripts", () => {
  test("a queue answers in order, then a 500 naming the route", async () => {
    const fake = start([
      { type: "json", body: { n: 1 } },
      { type: "json", body: { n: 2 } },
    ]);
    expect(await (await post(fake)).json()).toEqual({ n: 1 });
    expect(await (await post(fake)).json()).toEqual({ n: 2 });
    const exhausted = await post(fake);
    expect(exhausted.status).toBe(500);
    expect(await exhausted.text()).toContain(`no scripted reply left for POST ${ROUTE}`);
  });

  test("a single reply answers every request; a function sees the request and its index", async () => {
    const fake = start({ type: "text", body: "same" });
    expect(await (await post(fake)).text()).toBe("same");
    expect(await (await post(fake)).text()).toBe("same");
    fake.setScript(ROUTE, (request, index) => ({ type: "json", body: { index, model: (request.body as { model: string }).model } }));
    expect(await (await post(fake, { model: "a" })).json()).toEqual({ index: 0, model: "a" });
    expect(await (await post(fake, { model: "b" })).json()).toEqual({ index: 1, model: "b" });
  });

  test("a script that throws answers 500 with its message", async () => {
    const fake = start(() => {
      throw new Error("boom in script");
    });
    const response = await post(fake);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("boom in script");
  });

  test("a route without a script, or asked with GET, is a 404", async () => {
    const fake = start({ type: "json", body: {} });
    expect((await fetch(`${fake.url}/v1/messages`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${fake.url}${ROUTE}`)).status).toBe(404);
  });
});

describe("replies", () => {
  test("json and text replies carry their status and headers (Retry-After)", async () => {
    const fake = start([
      { type: "json", status: 429, headers: { "retry-after": "3" }, body: { error: { message: "busy" } } },
      { type: "text", status: 502, body: "<html>bad gateway</html>" },
    ]);
    const limited = await post(fake);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(await limited.json()).toEqual({ error: { message: "busy" } });
    const gateway = await post(fake);
    expect(gateway.status).toBe(502);
    expect(await gateway.text()).toBe("<html>bad gateway</html>");
  });

  test("malformed JSON arrives as sent, so the client's parser fails", async () => {
    const fake = start({ type: "text", body: '{"choices": [', headers: { "content-type": "application/json" } });
    const response = await post(fake);
    expect(response.headers.get("content-type")).toBe("application/json");
    await expect(response.json()).rejects.toThrow();
  });

  test("an SSE reply writes frames, raw strings verbatim, and ends cleanly", async () => {
    const fake = start({
      type: "sse",
      items: [{ data: { a: 1 } }, { event: "ping", data: { type: "ping" } }, "data: {broken\n\n", { data: "[DONE]" }],
    });
    const response = await post(fake);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe('data: {"a":1}\n\nevent: ping\ndata: {"type":"ping"}\n\ndata: {broken\n\ndata: [DONE]\n\n');
  });

  test("a pause splits the stream into separate writes", async () => {
    const fake = start({ type: "sse", items: [{ data: "one" }, { pauseMs: 100 }, { data: "two" }] });
    const reader = (await post(fake)).body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: one\n\n");
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe("data: two\n\n");
    expect((await reader.read()).done).toBe(true);
  });
});

describe("faults", () => {
  test("a cut stream delivers what was sent, then the body reader throws", async () => {
    const fake = start({ type: "sse", items: [{ data: "one" }], end: "cut" });
    const reader = (await post(fake)).body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: one\n\n");
    await expect(reader.read()).rejects.toThrow();
  });

  test("a cut after several frames and a pause loses none of the frames sent before it", async () => {
    const fake = start({ type: "sse", items: [{ data: "one" }, { data: "two" }, { pauseMs: 20 }, { data: "three" }], end: "cut" });
    const reader = (await post(fake)).body!.getReader();
    let received = "";
    const drain = async () => {
      for (let part = await reader.read(); !part.done; part = await reader.read()) received += new TextDecoder().decode(part.value);
    };
    await expect(drain()).rejects.toThrow();
    expect(received).toBe("data: one\n\ndata: two\n\ndata: three\n\n");
  });

  test("a stalled stream never ends by itself: stopping the fake resets it", async () => {
    const fake = start({ type: "sse", items: [{ data: "one" }], end: "stall" });
    const reader = (await post(fake)).body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: one\n\n");
    const next = reader.read();
    await fake.stop();
    await expect(next).rejects.toThrow();
  });

  test("a client that leaves a stalled stream aborts the recorded request's signal", async () => {
    const fake = start({ type: "sse", items: [{ data: "one" }], end: "stall" });
    const client = new AbortController();
    const reader = (await post(fake, {}, { signal: client.signal })).body!.getReader();
    await reader.read();
    const recorded = fake.requests[0]!;
    expect(recorded.signal.aborted).toBe(false);
    const aborted = new Promise((resolve) => recorded.signal.addEventListener("abort", resolve, { once: true }));
    client.abort();
    await aborted;
    expect(recorded.signal.aborted).toBe(true);
  });

  test("a hang sends no status line: fetch stays pending until the fake stops, then fails", async () => {
    const { script, received } = arrival();
    const fake = start(script);
    const pending = post(fake);
    await received;
    await fake.stop();
    await expect(pending).rejects.toThrow();
  });

  test("a client that gives up on a hang aborts the recorded request's signal", async () => {
    const { script, received } = arrival();
    const fake = start(script);
    const client = new AbortController();
    const pending = post(fake, {}, { signal: client.signal });
    const recorded = await received;
    const aborted = new Promise((resolve) => recorded.signal.addEventListener("abort", resolve, { once: true }));
    client.abort();
    await expect(pending).rejects.toThrow();
    await aborted;
    expect(recorded.signal.aborted).toBe(true);
  });

  test("a signal stays unaborted when the reply completed", async () => {
    const fake = start({ type: "sse", items: [{ data: "one" }] });
    await (await post(fake)).text();
    expect(fake.requests[0]!.signal.aborted).toBe(false);
  });
});
