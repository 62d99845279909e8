import { afterEach, describe, expect, test } from "bun:test";
import { type FakeBackend, type FakeBackendOptions, startFakeBackend } from "../../support/fake-backend-server";
import { applyFakeChatTemplate, countFakeTokens, tokenizeFake } from "../../support/fake-chat-template";

let backend: FakeBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

function start(options: Omit<FakeBackendOptions, "routes">): FakeBackend {
  backend = startFakeBackend({ model: "coder-7b", contextWindow: 16384, ...options, routes: {} });
  return backend;
}

async function get(fake: FakeBackend, path: string): Promise<Response> {
  return fetch(`${fake.url}${path}`);
}

/** Probe answers are plain JSON whose shape each test states with its expectations. */
// biome-ignore lint/suspicious/noExplicitAny: probe answers of many shapes, read field by field
type Json = Record<string, any>;
const json = async (response: Response | Promise<Response>) => (await (await response).json()) as Json;

async function post(fake: FakeBackend, path: string, body: unknown): Promise<Response> {
  return fetch(`${fake.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

const chat = {
  model: "coder-7b",
  messages: [
    { role: "system", content: "be brief" },
    { role: "user", content: "hello there" },
  ],
};

/** Each kind's own probe; every other kind must answer it with 404 or detection would be fooled. */
const SIGNATURE_PROBES = { llamacpp: "/props", ollama: "/api/version", lmstudio: "/api/v0/models", vllm: "/version" } as const;

describe("each kind answers only its own signature probe", () => {
  for (const kind of ["llamacpp", "ollama", "lmstudio", "vllm", "openai", "anthropic"] as const) {
    test(kind, async () => {
      const fake = start({ kind });
      for (const [owner, path] of Object.entries(SIGNATURE_PROBES)) {
        expect({ path, status: (await get(fake, path)).status }).toEqual({ path, status: owner === kind ? 200 : 404 });
      }
    });
  }
});

describe("llama-server", () => {
  test("health, props and models report the context window", async () => {
    const fake = start({ kind: "llamacpp" });
    expect(await json(get(fake, "/health"))).toEqual({ status: "ok" });
    const props = await json(get(fake, "/props"));
    expect(props.default_generation_settings.n_ctx).toBe(16384);
    expect(props.model_alias).toBe("coder-7b");
    const models = await json(get(fake, "/v1/models"));
    expect(models.data).toHaveLength(1);
    expect(models.data[0]).toMatchObject({ id: "coder-7b", object: "model", owned_by: "llamacpp", meta: { n_ctx: 16384 } });
    expect(models.models[0].name).toBe("coder-7b");
  });

  test("apply-template, tokenize and input_tokens agree with one another", async () => {
    const fake = start({ kind: "llamacpp" });
    const { prompt } = await json(post(fake, "/apply-template", chat));
    expect(prompt).toBe(applyFakeChatTemplate(chat));
    expect(prompt).toContain("hello there");
    const { tokens } = await json(post(fake, "/tokenize", { content: prompt, add_special: true }));
    expect(tokens).toEqual(tokenizeFake(prompt));
    const counted = await json(post(fake, "/v1/chat/completions/input_tokens", chat));
    expect(counted).toEqual({ input_tokens: tokens.length, object: "response.input_tokens" });
  });

  test("a legacy build answers input_tokens with 404", async () => {
    const fake = start({ kind: "llamacpp", legacyLlamaServer: true });
    expect((await post(fake, "/v1/chat/completions/input_tokens", chat)).status).toBe(404);
    expect((await post(fake, "/apply-template", chat)).status).toBe(200);
  });
});

describe("Ollama", () => {
  test("root, version, tags and show follow the API docs", async () => {
    const fake = start({ kind: "ollama" });
    expect(await (await get(fake, "/")).text()).toBe("Ollama is running");
    expect((await json(get(fake, "/api/version"))).version).toMatch(/^\d+\.\d+\.\d+$/);
    const tags = await json(get(fake, "/api/tags"));
    expect(tags.models.map((model: { name: string }) => model.name)).toEqual(["coder-7b"]);
    const shown = await json(post(fake, "/api/show", { model: "coder-7b" }));
    const architecture = shown.model_info["general.architecture"];
    expect(shown.model_info[`${architecture}.context_length`]).toBe(16384);
    expect(shown.capabilities).toContain("tools");
    expect((await json(get(fake, "/v1/models"))).data[0]).toMatchObject({ id: "coder-7b", owned_by: "library" });
  });

  test("show for an unknown model is a 404 with Ollama's error body", async () => {
    const fake = start({ kind: "ollama" });
    const response = await post(fake, "/api/show", { model: "nope" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "model 'nope' not found" });
  });
});

describe("LM Studio", () => {
  test("v0 models give max_context_length, and loaded_context_length only when set", async () => {
    const plain = await json(get(start({ kind: "lmstudio" }), "/api/v0/models"));
    expect(plain.data[0]).toMatchObject({ id: "coder-7b", type: "llm", state: "loaded", max_context_length: 16384 });
    expect(plain.data[0]).not.toHaveProperty("loaded_context_length");
    await backend!.stop();
    const loaded = await json(get(start({ kind: "lmstudio", loadedContextLength: 8192 }), "/api/v0/models"));
    expect(loaded.data[0].loaded_context_length).toBe(8192);
  });
});

describe("vLLM", () => {
  test("health is an empty 200; models carry max_model_len; tokenize counts messages", async () => {
    const fake = start({ kind: "vllm" });
    const health = await get(fake, "/health");
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("");
    expect((await json(get(fake, "/v1/models"))).data[0]).toMatchObject({ id: "coder-7b", owned_by: "vllm", max_model_len: 16384 });
    const counted = await json(post(fake, "/tokenize", { ...chat, add_generation_prompt: true }));
    expect(counted.count).toBe(countFakeTokens(applyFakeChatTemplate(chat)));
    expect(counted.tokens).toHaveLength(counted.count);
    expect(counted.max_model_len).toBe(16384);
  });
});

describe("generic servers", () => {
  test("OpenAI lists models and has no health route", async () => {
    const fake = start({ kind: "openai" });
    expect((await json(get(fake, "/v1/models"))).data[0]).toMatchObject({ id: "coder-7b", object: "model" });
    expect((await get(fake, "/health")).status).toBe(404);
  });

  test("Anthropic lists models as a page", async () => {
    const page = await json(get(start({ kind: "anthropic" }), "/v1/models"));
    expect(page).toMatchObject({ data: [{ type: "model", id: "coder-7b" }], has_more: false, first_id: "coder-7b", last_id: "coder-7b" });
  });
});

describe("fake tokenizer", () => {
  test("one token per 4 code points, a surrogate pair counting once", () => {
    expect(tokenizeFake("")).toEqual([]);
    expect(tokenizeFake("abcd")).toHaveLength(1);
    expect(tokenizeFake("abcde")).toEqual(["a".codePointAt(0)!, "e".codePointAt(0)!]);
    expect(countFakeTokens("😀😀😀😀")).toBe(1);
  });

  test("the template renders every turn, tool calls and tools included", () => {
    const prompt = applyFakeChatTemplate({
      tools: [{ type: "function", function: { name: "Bash" } }],
      messages: [
        { role: "assistant", content: null, tool_calls: [{ id: "c1" }] },
        { role: "tool", tool_call_id: "c1", content: "ok" },
      ],
    });
    expect(prompt).toContain('"name":"Bash"');
    expect(prompt).toContain('"tool_calls":[{"id":"c1"}]');
    expect(prompt).toContain("<|im_start|>tool\nok");
    expect(prompt.endsWith("<|im_start|>assistant\n")).toBe(true);
  });
});
