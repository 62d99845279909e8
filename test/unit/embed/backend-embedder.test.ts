/**
 * BackendEmbedder against loopback servers that answer as the public APIs do: OpenAI-compatible
 * `POST /v1/embeddings` and Ollama's `POST /api/embed`. Checks what is sent, that vectors come
 * back normalized and in input order, and the errors for answers that cannot be used.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BackendEmbedder } from "../../../src/embed/backend-embedder";

interface SeenRequest {
  path: string;
  body: { model: string; input: string[] };
}

let server: ReturnType<typeof Bun.serve>;
let baseUrl: string;
const seen: SeenRequest[] = [];
/** What the next request to each path answers; set per test. */
const replies = new Map<string, (body: SeenRequest["body"]) => Response>();

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const body = (await request.json()) as SeenRequest["body"];
      seen.push({ path, body });
      const reply = replies.get(path);
      return reply ? reply(body) : new Response("not found", { status: 404 });
    },
  });
  baseUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

/** A vector per text that is not unit length: [length of text + 1, 2, 0]. */
const rawVector = (text: string) => [text.length + 1, 2, 0];
const expectUnit = (vector: Float32Array, raw: number[]) => {
  const length = Math.hypot(...raw);
  expect(vector.length).toBe(raw.length);
  for (const [index, value] of raw.entries()) expect(vector[index]!).toBeCloseTo(value / length, 6);
};

describe("OpenAI-compatible /v1/embeddings", () => {
  test("sends {model, input}, reorders data by index, normalizes", async () => {
    replies.set("/v1/embeddings", ({ input }) =>
      Response.json({
        object: "list",
        model: "local",
        data: input.map((text, index) => ({ object: "embedding", index, embedding: rawVector(text) })).reverse(),
        usage: { prompt_tokens: 3 },
      }),
    );
    const embedder = new BackendEmbedder({ url: `${baseUrl}/v1`, model: "nomic-embed-text", api: "openai" });
    const texts = ["a", "bbb", "cc"];
    const vectors = await embedder.embed(texts);
    expect(seen.at(-1)).toEqual({ path: "/v1/embeddings", body: { model: "nomic-embed-text", input: texts } });
    for (const [index, text] of texts.entries()) expectUnit(vectors[index]!, rawVector(text));
    expect(embedder.dimensions).toBe(3);
    expect(embedder.id).toBe("openai:nomic-embed-text");
  });

  test("the root URL without /v1 reaches the same endpoint", () => {
    expect(new BackendEmbedder({ url: `${baseUrl}/`, model: "m", api: "openai" }).endpoint).toBe(`${baseUrl}/v1/embeddings`);
  });

  test("missing or repeated indexes are refused", async () => {
    replies.set("/v1/embeddings", () =>
      Response.json({
        data: [
          { index: 0, embedding: [1, 0] },
          { index: 0, embedding: [0, 1] },
        ],
      }),
    );
    const embedder = new BackendEmbedder({ url: baseUrl, model: "m", api: "openai" });
    await expect(embedder.embed(["a", "b"])).rejects.toThrow("returned embeddings with missing or repeated indexes");
  });
});

describe("Ollama /api/embed", () => {
  test("sends {model, input}, reads {embeddings}, normalizes", async () => {
    replies.set("/api/embed", ({ model, input }) => Response.json({ model, embeddings: input.map(rawVector), total_duration: 1000 }));
    // A URL written with /v1 (Ollama's OpenAI side) still reaches /api/embed.
    const embedder = new BackendEmbedder({ url: `${baseUrl}/v1`, model: "all-minilm", api: "ollama" });
    const vectors = await embedder.embed(["hello", "hi"]);
    expect(seen.at(-1)).toEqual({ path: "/api/embed", body: { model: "all-minilm", input: ["hello", "hi"] } });
    expectUnit(vectors[0]!, rawVector("hello"));
    expectUnit(vectors[1]!, rawVector("hi"));
    expect(embedder.id).toBe("ollama:all-minilm");
  });

  test("load() asks once and reports the endpoint and dimensions", async () => {
    replies.set("/api/embed", ({ input }) => Response.json({ embeddings: input.map(() => [0, 0, 3, 4]) }));
    const embedder = new BackendEmbedder({ url: baseUrl, model: "all-minilm", api: "ollama" });
    expect(() => embedder.dimensions).toThrow("the dimensions of ollama:all-minilm are known after the first embed or load()");
    const report = await embedder.load();
    expect(report).toMatchObject({ source: "backend", endpoint: `${baseUrl}/api/embed`, dimensions: 4 });
  });
});

describe("answers that cannot be used", () => {
  const embedder = () => new BackendEmbedder({ url: baseUrl, model: "m", api: "ollama" });

  test("an error status, with the server's words", async () => {
    replies.set("/api/embed", () => Response.json({ error: 'model "m" not found, try pulling it first' }, { status: 404 }));
    await expect(embedder().embed(["a"])).rejects.toThrow(
      `${baseUrl}/api/embed answered 404: {"error":"model \\"m\\" not found, try pulling it first"}`,
    );
  });

  test("another shape", async () => {
    replies.set("/api/embed", () => Response.json({ embedding: [1, 2] }));
    await expect(embedder().embed(["a"])).rejects.toThrow("did not answer {embeddings: [[...]]}");
  });

  test("not JSON", async () => {
    replies.set("/api/embed", () => new Response("<html>proxy error</html>"));
    await expect(embedder().embed(["a"])).rejects.toThrow("answered with something other than JSON: <html>proxy error</html>");
  });

  test("fewer vectors than texts", async () => {
    replies.set("/api/embed", () => Response.json({ embeddings: [[1, 0]] }));
    await expect(embedder().embed(["a", "b"])).rejects.toThrow("returned 1 embeddings for 2 texts");
  });

  test("vectors of differing lengths, within one answer or across answers", async () => {
    replies.set("/api/embed", () =>
      Response.json({
        embeddings: [
          [1, 0],
          [1, 0, 0],
        ],
      }),
    );
    await expect(embedder().embed(["a", "b"])).rejects.toThrow("returned vectors of differing lengths");
    const steady = embedder();
    replies.set("/api/embed", ({ input }) => Response.json({ embeddings: input.map(() => [1, 0]) }));
    await steady.embed(["a"]);
    replies.set("/api/embed", ({ input }) => Response.json({ embeddings: input.map(() => [1, 0, 0]) }));
    await expect(steady.embed(["a"])).rejects.toThrow("earlier 2");
  });

  test("no texts: no request", async () => {
    const before = seen.length;
    expect(await embedder().embed([])).toEqual([]);
    expect(seen.length).toBe(before);
  });
});
