/**
 * The app's one error handler: whatever a hook or a route throws is answered in Anthropic's
 * shape, under the id the request was given, and only what is not a ProxyError (a bug) is logged.
 */
import { expect, test } from "bun:test";
import { ClientKeyRegistry } from "../../../src/access/client-key-registry";
import { hashClientKey } from "../../../src/access/client-key-secret";
import { ClientLimits } from "../../../src/access/client-limits";
import { SessionTokens } from "../../../src/access/session-tokens";
import { loadConfig } from "../../../src/config/load-config";
import { ContextState } from "../../../src/context/context-state";
import { ConversationMemo } from "../../../src/json/conversation-memo";
import { createLogger } from "../../../src/log/logger";
import { createMetrics } from "../../../src/metrics/metrics";
import { PromptOptimizer } from "../../../src/prompt/prompt-optimizer";
import { HealthMonitor } from "../../../src/router/health-monitor";
import { Router } from "../../../src/router/router";
import { createApp } from "../../../src/server/create-app";
import { DeferredResponseCache } from "../../../src/server/deferred-response-cache";

const KEY = "sk-right";

function startApp() {
  const logged: string[] = [];
  const config = loadConfig({ env: {}, flags: {} });
  const router = new Router([], config);
  const app = createApp({
    config,
    router,
    health: new HealthMonitor(router.pool, config.health),
    logger: createLogger({ level: "info", format: "json", write: (line) => logged.push(line) }),
    metrics: createMetrics(),
    version: "0.0.0",
    access: {
      keys: new ClientKeyRegistry({ configured: [{ name: "default", hash: hashClientKey(KEY) }], defaultLimits: {} }),
      limits: new ClientLimits({ maxInFlight: 8 }),
      sessions: new SessionTokens({ ttlMs: 60_000 }),
      close() {},
    },
    // A cache that cannot be opened: its stats() throws a plain Error, as a bug would.
    cache: new DeferredResponseCache(async () => undefined),
    conversationMemo: new ConversationMemo({ maxDepth: 64 }),
    context: new ContextState(),
    prompt: new PromptOptimizer({ rules: config.prompt.rules, deferTools: config.prompt.deferTools }),
  });
  const call = (path: string, init: RequestInit = {}, key: string = KEY) =>
    app.handle(new Request(`http://127.0.0.1${path}`, { ...init, headers: { "x-api-key": key, ...init.headers } }));
  return { app, call, logged };
}

async function readError(response: Response) {
  const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string };
  expect(body.type).toBe("error");
  expect(response.headers.get("request-id")).toBe(body.request_id);
  expect(body.request_id).toMatch(/^req_[0-9a-f]{24}$/);
  return { status: response.status, type: body.error.type, message: body.error.message };
}

test("a refused key, thrown by the request hook, is a 401 and no log line", async () => {
  const { call, logged } = startApp();
  expect(await readError(await call("/v1/models", {}, "sk-wrong"))).toEqual({
    status: 401,
    type: "authentication_error",
    message: "invalid x-api-key",
  });
  expect(logged).toEqual([]);
});

test("a ProxyError a route throws (bad JSON, unknown model, no backend) is answered as it says, without a log line", async () => {
  const { call, logged } = startApp();
  const post = (body: string) => call("/v1/messages", { method: "POST", body, headers: { "content-type": "application/json" } });

  expect(await readError(await post("{"))).toMatchObject({ status: 400, type: "invalid_request_error" });
  expect(await readError(await call("/v1/models/nope"))).toEqual({
    status: 404,
    type: "not_found_error",
    message: 'model "nope" not found',
  });
  const noBackend = await post(JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }));
  // What was tried travels with the error answer, under the id the request was logged with.
  expect(noBackend.headers.get("x-anyclaude-attempts")).toBe("0");
  const requestId = noBackend.headers.get("request-id");
  expect(await readError(noBackend)).toMatchObject({ status: 503, type: "api_error" });
  expect(logged.map((line) => JSON.parse(line) as { msg: string })).toMatchObject([
    { msg: "messages", requestId, outcome: expect.stringMatching(/^failed/) },
  ]);
});

test("no route is a 404 not_found_error", async () => {
  const { call } = startApp();
  expect(await readError(await call("/v2/nothing"))).toEqual({
    status: 404,
    type: "not_found_error",
    message: "no route for GET /v2/nothing",
  });
});

test("anything else is a bug: a 500 api_error, logged once under the id the client got", async () => {
  const { call, logged } = startApp();
  const response = await call("/v1/cache/stats");
  const requestId = response.headers.get("request-id");
  expect(await readError(response)).toEqual({
    status: 500,
    type: "api_error",
    message: "internal error: the response cache could not be opened (see the log)",
  });
  const lines = logged.map((line) => JSON.parse(line) as { msg: string; requestId: string });
  expect(lines).toMatchObject([{ msg: "unhandled error", requestId }]);
});

// A hook or handler that hands Elysia's whole context to a function (rather than naming the
// properties it reads) makes every route build all of it per request: a header object, a cookie jar, the parsed query. That cost
// 40-70 µs of CPU on a small answer (bench/README.md, "the whole context").
test("no route builds what no hook reads: no header object or cookie jar per request, no query where none is read", async () => {
  const { app, call } = startApp();
  expect((await call("/health")).status).toBe(200);
  expect(app.routes.length).toBeGreaterThan(10);
  for (const route of app.routes) {
    const composed = String(route.compile());
    expect({ path: route.path, cookies: composed.includes("parseCookie(") }).toEqual({ path: route.path, cookies: false });
    expect({ path: route.path, headers: composed.includes("headers.toJSON()") }).toEqual({ path: route.path, headers: false });
    // Only the routes that read it parse the query (models, history).
    if (route.path.startsWith("/v1/messages") || route.path === "/health") expect(composed).not.toContain("parseQuery");
  }
});
