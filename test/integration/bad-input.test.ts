/**
 * What a client gets for a request anyclaude cannot serve: malformed or mistyped bodies, bodies
 * over the size limit (declared or chunked), unknown routes. Every answer is exactly Anthropic's
 * error body with the right status and a message naming the field, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const LIMIT = 64 * 1024;
const VALID = { model: "claude-opus-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] };

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;

beforeAll(async () => {
  backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "Hello." })));
  proxy = await startProxy({ server: { maxBodyBytes: LIMIT } }, [{ url: backend.url, kind: "llamacpp", mode: "translate" }]);
});

afterAll(async () => {
  await Promise.all([proxy.stop(), backend.stop()]);
});

const JSON_TYPE = { "content-type": "application/json" };
const post = (path: string, body: RequestInit["body"], init: RequestInit = {}) =>
  fetch(`${proxy.url}${path}`, { method: "POST", headers: JSON_TYPE, body, ...init });

/** Checks the body is exactly Anthropic's error shape, its request_id the header's, and returns the message. */
async function expectAnthropicError(response: Response, status: number, type: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string };
  expect(Object.keys(body).sort()).toEqual(["error", "request_id", "type"]);
  expect(Object.keys(body.error).sort()).toEqual(["message", "type"]);
  expect(body.type).toBe("error");
  expect(body.error.type).toBe(type);
  expect(body.request_id).toMatch(/^req_[0-9a-f]{24}$/);
  expect(response.headers.get("request-id")).toBe(body.request_id);
  return body.error.message;
}

const withField = (patch: Record<string, unknown>) => JSON.stringify({ ...VALID, ...patch });
const without = (field: keyof typeof VALID) => JSON.stringify(Object.fromEntries(Object.entries(VALID).filter(([key]) => key !== field)));

/**
 * [case, body, what the message must say]; a string is matched exactly, a RegExp as a pattern.
 * The sampling cases apply to `/v1/messages` only: count_tokens has no such fields.
 */
const INVALID_BODIES: Array<[string, string, string | RegExp]> = [
  ["malformed JSON", '{"model": "claude-opus-5-5",', /^request body is not valid JSON: /],
  ["a JSON array", "[1, 2]", "request body must be a JSON object"],
  ["a JSON string", '"hello"', "request body must be a JSON object"],
  ["JSON null", "null", "request body must be a JSON object"],
  ["an empty body", "", "request body is empty; expected a JSON object"],
  ["messages not an array", withField({ messages: "hi" }), /^messages: /],
  ["an empty messages array", withField({ messages: [] }), /^messages: .*1/],
  [
    "content as a number",
    withField({ messages: [{ role: "user", content: 5 }] }),
    "messages.0.content: expected string | an array, got number",
  ],
  ["a tool without a name", withField({ tools: [{ input_schema: { type: "object" } }] }), /^tools\.0\.name: /],
  [
    "an unknown role",
    withField({ messages: [{ role: "bot", content: "hi" }] }),
    'messages.0.role: expected "user" | "assistant" | "system", got "bot"',
  ],
  ["no model", without("model"), /^model: /],
  [
    "a text block without text",
    withField({ messages: [{ role: "user", content: [{ type: "text" }] }] }),
    /^messages\.0\.content\.0\.text: /,
  ],
  [
    "an unknown thinking type",
    withField({ thinking: { type: "sometimes" } }),
    /^thinking\.type: expected "enabled" \| "adaptive" \| "disabled" \| "between_tools", got "sometimes"$/,
  ],
  ["tool_choice tool without a name", withField({ tool_choice: { type: "tool" } }), /^tool_choice\.name: /],
];
const INVALID_SAMPLING: Array<[string, string, string | RegExp]> = [
  ["max_tokens as a string", withField({ max_tokens: "x" }), /^max_tokens: /],
  ["temperature out of range", withField({ temperature: 5 }), /^temperature: .*2/],
];

describe.each([
  ["/v1/messages", [...INVALID_BODIES, ...INVALID_SAMPLING]],
  ["/v1/messages/count_tokens", INVALID_BODIES],
] as const)("POST %s", (path, cases) => {
  test.each(cases)("%s answers 400 naming the problem", async (_case, body, expected) => {
    const message = await expectAnthropicError(await post(path, body), 400, "invalid_request_error");
    if (typeof expected === "string") expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });
});

test("no invalid request reached the backend", () => {
  expect(backend.requestsTo("/v1/chat/completions")).toEqual([]);
});

describe("request size", () => {
  const oversized = withField({ padding: "x".repeat(LIMIT + 1) });

  test("a body over server.maxBodyBytes with content-length answers 413 request_too_large", async () => {
    const message = await expectAnthropicError(await post("/v1/messages", oversized), 413, "request_too_large");
    expect(message).toContain(String(LIMIT));
  });

  test("a chunked body over the limit (no content-length) answers 413 too", async () => {
    const message = await expectAnthropicError(
      await post("/v1/messages", streamInPieces(oversized, 4096), { duplex: "half" } as RequestInit),
      413,
      "request_too_large",
    );
    expect(message).toContain(String(LIMIT));
  });

  test("a chunked body under the limit is read whole and served", async () => {
    const body = withField({ messages: [{ role: "user", content: "y".repeat(LIMIT / 2) }] });
    const response = await post("/v1/messages", streamInPieces(body, 1000), { duplex: "half" } as RequestInit);
    expect(response.status).toBe(200);
    const sent = backend.requestsTo("/v1/chat/completions").at(-1)!.body as { messages: Array<{ content: unknown }> };
    expect(sent.messages.at(-1)!.content).toBe("y".repeat(LIMIT / 2));
  });
});

describe("routes", () => {
  test.each([
    ["POST", "/v1/nonexistent"],
    ["GET", "/nonexistent"],
    ["POST", "/v1/complete"],
  ])("%s %s answers 404 not_found_error", async (method, path) => {
    const message = await expectAnthropicError(
      await fetch(`${proxy.url}${path}`, { method, body: method === "POST" ? "{}" : undefined }),
      404,
      "not_found_error",
    );
    expect(message).toContain(path);
  });

  test("GET on /v1/messages answers 404 or 405 in Anthropic's shape", async () => {
    const response = await fetch(`${proxy.url}/v1/messages`);
    expect([404, 405]).toContain(response.status);
    await expectAnthropicError(response, response.status, response.status === 404 ? "not_found_error" : "invalid_request_error");
  });
});

describe("odd but acceptable input", () => {
  test("a content block of an unknown type passes; translation drops it with a warning", async () => {
    const content = [
      { type: "future_block", payload: { anything: true } },
      { type: "text", text: "still here" },
    ];
    const response = await post("/v1/messages", withField({ messages: [{ role: "user", content }] }));
    expect(response.status).toBe(200);
    const requestId = response.headers.get("request-id");
    const sent = backend.requestsTo("/v1/chat/completions").at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(sent)).not.toContain("future_block");
    expect(JSON.stringify(sent.messages)).toContain("still here");
    const record = proxy.logs.find((line) => line.msg === "messages" && line.requestId === requestId);
    expect(String(record?.warnings)).toContain("dropped-block@messages[0].content[0]");
  });

  test("deeply nested tool input within reason goes through intact", async () => {
    const input = { tree: nest(500) };
    const response = await post("/v1/messages", toolHistoryBody(JSON.stringify(input)));
    expect(response.status).toBe(200);
    const sent = backend.requestsTo("/v1/chat/completions").at(-1)!.body as {
      messages: Array<{ tool_calls?: Array<{ function: { arguments: string } }> }>;
    };
    const call = sent.messages.find((message) => message.tool_calls)!.tool_calls![0]!;
    expect(JSON.parse(call.function.arguments)).toEqual(input);
  });

  test("an overlong value is named without being echoed back whole", async () => {
    const role = "b".repeat(50_000);
    const message = await expectAnthropicError(
      await post("/v1/messages", withField({ messages: [{ role, content: "hi" }] })),
      400,
      "invalid_request_error",
    );
    expect(message).toStartWith('messages.0.role: expected "user" | "assistant" | "system", got "bbbb');
    expect(message.length).toBeLessThan(200);
  });
});

describe("large bodies within a large limit", () => {
  let roomy: StartedProxy;
  beforeAll(async () => {
    // A window that holds the 8 MB message, which the context step then passes unchanged.
    roomy = await startProxy({ server: { maxBodyBytes: 16 * 1024 * 1024 }, context: { windows: { "qwen3-coder-30b-a3b": 8_000_000 } } }, [
      { url: backend.url, kind: "llamacpp", mode: "translate" },
    ]);
  });
  afterAll(() => roomy.stop());

  test("absurdly nested tool input (200 KB of brackets) answers 400 naming where, not a 500", async () => {
    const depth = 100_000;
    const body = toolHistoryBody(`{"tree":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    const message = await expectAnthropicError(
      await fetch(`${roomy.url}/v1/messages`, { method: "POST", headers: JSON_TYPE, body }),
      400,
      "invalid_request_error",
    );
    expect(message).toStartWith("messages.1.content.0.input.tree.0");
    expect(message).toContain("nested more than");
    expect(message.length).toBeLessThan(200);
  });

  test("an 8 MB message reaches the backend unchanged", async () => {
    const text = "lorem ipsum ".repeat(700_000);
    const response = await fetch(`${roomy.url}/v1/messages`, {
      method: "POST",
      headers: JSON_TYPE,
      body: withField({ messages: [{ role: "user", content: text }] }),
    });
    expect(response.status).toBe(200);
    const sent = backend.requestsTo("/v1/chat/completions").at(-1)!.body as { messages: Array<{ content: unknown }> };
    expect(sent.messages.at(-1)!.content).toBe(text);
  });

  test("a 100,000-character tool name answers 400 on tools.0.name", async () => {
    const tools = [{ name: "t".repeat(100_000), input_schema: { type: "object" } }];
    const response = await fetch(`${roomy.url}/v1/messages`, { method: "POST", headers: JSON_TYPE, body: withField({ tools }) });
    const message = await expectAnthropicError(response, 400, "invalid_request_error");
    expect(message).toStartWith("tools.0.name: ");
    expect(message.length).toBeLessThan(200);
  });
});

test("after all of the above, the server still answers a normal request", async () => {
  const response = await post("/v1/messages", JSON.stringify(VALID));
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    type: "message",
    role: "assistant",
    model: VALID.model,
    content: [{ type: "text", text: "Hello." }],
  });
  expect(proxy.logs.filter((line) => line.level === "error")).toEqual([]);
});

function streamInPieces(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

function nest(depth: number): unknown {
  let value: unknown = "leaf";
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** A turn where the assistant called a tool with `inputJson` (spliced in raw) and the user answered. */
function toolHistoryBody(inputJson: string): string {
  const head = { model: VALID.model, max_tokens: 64 };
  return `${JSON.stringify(head).slice(0, -1)},"messages":[{"role":"user","content":"run it"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Probe","input":${inputJson}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"done"}]}]}`;
}
