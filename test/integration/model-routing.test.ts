/**
 * Which backend and model answer a request, end to end: the model map (opus, sonnet, haiku,
 * default, aliases), the background route (haiku-class and session-title requests) and local
 * model names asked for directly. Each answer says where it went (`x-anyclaude-*` headers) and
 * the chosen fake engine must be the one that received the request, with the mapped model.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import type { ConfigOverrides } from "../support/start-proxy";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const BIG = "qwen3-coder-30b-a3b";
const SMALL = "qwen3:4b";
// Offered by the small engine's config as well, so there is a third distinct target.
const TINY = "qwen3:0.6b";

let big: FakeOpenAIBackend;
let small: FakeOpenAIBackend;

beforeAll(() => {
  big = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "big" })), { kind: "llamacpp", model: BIG });
  small = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "small" })), { kind: "ollama", model: SMALL });
});

afterAll(async () => {
  await Promise.all([big.stop(), small.stop()]);
});

async function startRouted(overrides: ConfigOverrides): Promise<StartedProxy> {
  return startProxy(overrides, [
    { id: "big", url: big.url, kind: "llamacpp", mode: "translate" },
    { id: "small", url: small.url, kind: "ollama", mode: "translate", models: [SMALL, TINY] },
  ]);
}

interface Routed {
  backend: string | null;
  model: string | null;
  route: string | null;
  /** Which fake received the request, and the model it was asked for. */
  received: { by: string; model: unknown };
  /** The model name the client got back. */
  answeredAs: unknown;
}

async function send(proxy: StartedProxy, body: Record<string, unknown>): Promise<Routed> {
  const before = { big: big.requestsTo("/v1/chat/completions").length, small: small.requestsTo("/v1/chat/completions").length };
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ max_tokens: 32, messages: [{ role: "user", content: "hi" }], ...body }),
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { model: string };
  const fresh = [
    ...big
      .requestsTo("/v1/chat/completions")
      .slice(before.big)
      .map((request) => ({ by: "big", model: (request.body as { model: unknown }).model })),
    ...small
      .requestsTo("/v1/chat/completions")
      .slice(before.small)
      .map((request) => ({ by: "small", model: (request.body as { model: unknown }).model })),
  ];
  expect(fresh.length).toBe(1);
  return {
    backend: response.headers.get("x-anyclaude-backend"),
    model: response.headers.get("x-anyclaude-model"),
    route: response.headers.get("x-anyclaude-route"),
    received: fresh[0]!,
    answeredAs: answer.model,
  };
}

const expectRouted = (routed: Routed, backend: string, model: string, route: string, asked: string) =>
  expect(routed).toEqual({ backend, model, route, received: { by: backend, model }, answeredAs: asked });

describe("model map without a background route", () => {
  let proxy: StartedProxy;
  beforeAll(async () => {
    proxy = await startRouted({
      models: {
        opus: `big/${BIG}`,
        sonnet: SMALL,
        haiku: `small/${TINY}`,
        default: `small/${SMALL}`,
        aliases: { "team-fast": `small/${TINY}` },
      },
    });
  });
  afterAll(() => proxy.stop());

  test.each([
    ["claude-opus-5-5", "big", BIG, "opus"],
    ["claude-sonnet-5-5", "small", SMALL, "sonnet"],
    ["claude-haiku-5-5", "small", TINY, "haiku"],
    ["claude-unheard-of-1", "small", SMALL, "default"],
    ["team-fast", "small", TINY, "alias"],
    [BIG, "big", BIG, "direct"],
    [TINY, "small", TINY, "direct"],
    [`small/${SMALL}`, "small", SMALL, "direct"],
  ])("%s goes to %s/%s (route %s)", async (asked, backend, model, route) => {
    expectRouted(await send(proxy, { model: asked }), backend, model, route, asked);
  });
});

describe("with routes.background", () => {
  let proxy: StartedProxy;
  beforeAll(async () => {
    proxy = await startRouted({ models: { opus: `big/${BIG}`, haiku: `small/${SMALL}` }, routes: { background: `small/${TINY}` } });
  });
  afterAll(() => proxy.stop());

  test("claude-opus-5-5 still goes to the opus target", async () => {
    expectRouted(await send(proxy, { model: "claude-opus-5-5" }), "big", BIG, "opus", "claude-opus-5-5");
  });

  test("claude-haiku-5-5 (Claude Code's small/fast slot) goes to the background target", async () => {
    expectRouted(await send(proxy, { model: "claude-haiku-5-5" }), "small", TINY, "background", "claude-haiku-5-5");
  });

  test("the recorded session-title request goes to the background target although it asks for opus", async () => {
    const title = readClaudeCodeRequests().find((request) => request.name.includes("title"))!;
    expect(title.body.model).toBe("claude-opus-5-5");
    expectRouted(await send(proxy, { ...title.body, stream: false }), "small", TINY, "background", title.body.model);
  });
});
