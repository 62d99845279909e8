/** The embedding section made concrete: paths expanded, the server defaulting to the first backend, incomplete backend settings refused. */
import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { ConfigError } from "../../../src/config/config-error";
import { type Config, ConfigSchema } from "../../../src/config/config-schema";
import { resolveEmbeddingSettings } from "../../../src/config/resolve-embedding-settings";

const configWith = (embedding: object, backends: object[] = []) => Value.Default(ConfigSchema, { embedding, backends }) as Config;

describe("resolveEmbeddingSettings", () => {
  test("defaults: MiniLM, one thread, no path (the embedder searches)", () => {
    expect(resolveEmbeddingSettings(configWith({}), {})).toEqual({ source: "minilm", threads: 1, backendApi: "openai" });
  });

  test("~/ expands to HOME; a relative path is taken from the working directory", () => {
    expect(resolveEmbeddingSettings(configWith({ modelPath: "~/models/minilm.onnx" }), { HOME: "/home/me" }).modelPath).toBe(
      "/home/me/models/minilm.onnx",
    );
    expect(resolveEmbeddingSettings(configWith({ modelPath: "minilm.onnx" }), {}).modelPath).toBe(`${process.cwd()}/minilm.onnx`);
    expect(() => resolveEmbeddingSettings(configWith({ modelPath: "~/m.onnx" }), {})).toThrow(
      '"~/m.onnx" starts with ~/ but HOME is not set',
    );
  });

  test("the embedding server defaults to the first backend", () => {
    const config = configWith({ source: "backend", backendModel: "nomic-embed-text", backendApi: "ollama" }, [
      { url: "http://127.0.0.1:11434" },
    ]);
    expect(resolveEmbeddingSettings(config, {})).toEqual({
      source: "backend",
      threads: 1,
      backendApi: "ollama",
      backendModel: "nomic-embed-text",
      backendUrl: "http://127.0.0.1:11434",
    });
  });

  test("backend without a model or a server: a ConfigError listing both", () => {
    let caught: unknown;
    try {
      resolveEmbeddingSettings(configWith({ source: "backend" }), {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((issue) => issue.path)).toEqual(["embedding.backendModel", "embedding.backendUrl"]);
  });
});
