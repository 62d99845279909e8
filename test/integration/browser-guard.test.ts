/**
 * Web pages must not drive the proxy: what any page can send to 127.0.0.1 (a `text/plain` post,
 * a request under a rebound name, a JSON call from a foreign origin) is refused before it reaches
 * an engine, while clients that send no `Origin` and configured origins get through.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const MESSAGE = JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
const APP_ORIGIN = "http://localhost:5173";
const KEY = "sk-guard";

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;

beforeAll(async () => {
  backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "hello" })));
  proxy = await startProxy({ server: { allowedHosts: ["gpu-box.lan"], allowedOrigins: [APP_ORIGIN], apiKey: KEY } }, [
    { url: backend.url, kind: "llamacpp", mode: "translate" },
  ]);
});

afterAll(async () => {
  await Promise.all([proxy.stop(), backend.stop()]);
});

const post = (headers: Record<string, string>, body: RequestInit["body"] = MESSAGE) =>
  fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "x-api-key": KEY, ...headers }, body });
const JSON_TYPE = { "content-type": "application/json" };
const chats = () => backend.requestsTo("/v1/chat/completions").length;

/** Anthropic's error body, exactly; returns its message. */
async function expectRefusal(response: Response, status: number, type: string): Promise<string> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string };
  expect(body).toEqual({ type: "error", error: { type, message: expect.any(String) }, request_id: expect.stringMatching(/^req_/) });
  expect(response.headers.get("access-control-allow-origin")).toBeNull();
  return body.error.message;
}

describe("refused before any engine is asked", () => {
  test("the cross-site text/plain post any page can send without a preflight: 403", async () => {
    const before = chats();
    const refused = await post({ "content-type": "text/plain", origin: "https://evil.example" });
    expect(await expectRefusal(refused, 403, "permission_error")).toContain("https://evil.example");
    expect(chats()).toBe(before);
    expect(proxy.logs.some((line) => line.level === "warn" && line.origin === "https://evil.example")).toBe(true);
  });

  test("a foreign Host, as after DNS rebinding: 403 naming server.allowedHosts", async () => {
    const before = chats();
    const message = await expectRefusal(
      await post({ ...JSON_TYPE, host: `attacker.example:${proxy.server.port}` }),
      403,
      "permission_error",
    );
    expect(message).toContain("server.allowedHosts");
    expect((await fetch(`${proxy.url}/health`, { headers: { host: "attacker.example" } })).status).toBe(403);
    expect(chats()).toBe(before);
  });

  test("a foreign Origin with a proper JSON body and the key: 403 naming server.allowedOrigins", async () => {
    const before = chats();
    const message = await expectRefusal(await post({ ...JSON_TYPE, origin: "http://127.0.0.1:3000" }), 403, "permission_error");
    expect(message).toContain("server.allowedOrigins");
    expect(await expectRefusal(await post({ ...JSON_TYPE, origin: "null" }), 403, "permission_error")).toContain("null");
    expect(chats()).toBe(before);
  });

  test("a foreign origin's preflight is refused and gets no CORS headers", async () => {
    const preflight = await fetch(`${proxy.url}/v1/messages`, {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    await expectRefusal(preflight, 403, "permission_error");
  });

  test.each([
    ["text/plain without any Origin", { "content-type": "text/plain;charset=UTF-8" }, '"text/plain;charset=UTF-8"'],
    ["a urlencoded form", { "content-type": "application/x-www-form-urlencoded" }, '"application/x-www-form-urlencoded"'],
    ["a multipart form", { "content-type": "multipart/form-data; boundary=x" }, '"multipart/form-data; boundary=x"'],
    ["no content-type at all", {}, "none"],
  ])("a POST body sent as %s: 415", async (_name, headers, got) => {
    const before = chats();
    // Bytes, so that fetch adds no content-type of its own.
    const message = await expectRefusal(await post(headers, new TextEncoder().encode(MESSAGE)), 415, "invalid_request_error");
    expect(message).toBe(`content-type must be application/json, got ${got}`);
    expect(chats()).toBe(before);
  });
});

describe("let through", () => {
  test.each([
    ["127.0.0.1", (port: number) => `127.0.0.1:${port}`],
    ["localhost", (port: number) => `localhost:${port}`],
    ["[::1]", (port: number) => `[::1]:${port}`],
    ["a name in server.allowedHosts", () => "GPU-box.lan:443"],
  ])("Host %s, no Origin (Claude Code, the SDKs, curl)", async (_name, host) => {
    const response = await post({ ...JSON_TYPE, host: host(proxy.server.port) });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("JSON with a charset, in any case", async () => {
    expect((await post({ "content-type": "Application/JSON; charset=utf-8" })).status).toBe(200);
  });

  test("anyclaude's own page (/docs) calling back to the address it came from", async () => {
    const response = await post({ ...JSON_TYPE, origin: proxy.url });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a configured origin: its preflight is answered, key or not, and its calls carry CORS headers", async () => {
    const preflight = await fetch(`${proxy.url}/v1/messages`, {
      method: "OPTIONS",
      headers: {
        origin: APP_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-api-key,anthropic-version",
      },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      "access-control-allow-origin": APP_ORIGIN,
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "content-type,x-api-key,anthropic-version",
    });

    const answered = await post({ ...JSON_TYPE, origin: APP_ORIGIN });
    expect(answered.status).toBe(200);
    expect(answered.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(answered.headers.get("access-control-expose-headers")).toBe("*");
    expect(((await answered.json()) as { content: Array<{ text: string }> }).content[0]!.text).toBe("hello");

    // Without the key its page can read the 401, so it can tell the user why.
    const unkeyed = await fetch(`${proxy.url}/v1/models`, { headers: { origin: APP_ORIGIN } });
    expect(unkeyed.status).toBe(401);
    expect(unkeyed.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
  });
});
