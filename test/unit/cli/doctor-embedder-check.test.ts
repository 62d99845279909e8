/**
 * Doctor's embedder rows: ONNX Runtime loads; the model loads and embeds, or which file is
 * missing and how to get it (a warning when none was configured, a failure when the configured
 * one is absent or broken); a backend's embedding endpoint answers, or why not.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DoctorRow } from "../../../src/cli/doctor-check";
import { EMBEDDER_CHECK } from "../../../src/cli/doctor-embedder-check";
import { resolveDataPaths } from "../../../src/config/data-paths";
import { loadConfig } from "../../../src/config/load-config";
import { EMBEDDED_MODELS_DIR, MINILM_FILE_NAME } from "../../../src/embed/locate-minilm-model";
import { writeMiniLMStandin } from "../../support/generate-minilm-standin";

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-doctor-embedder-"));
const modelPath = writeMiniLMStandin(join(scratch, "standin.onnx"));
let embeddings: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  embeddings = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const { model, input } = (await request.json()) as { model: string; input: string[] };
      if (model !== "nomic-embed-text") return Response.json({ error: { message: `model ${model} not found` } }, { status: 404 });
      return Response.json({ data: input.map((_, index) => ({ index, embedding: Array.from({ length: 768 }, (_, d) => (d % 7) - 3) })) });
    },
  });
});
afterAll(() => {
  embeddings.stop(true);
  rmSync(scratch, { recursive: true, force: true });
});

async function runCheck(env: Record<string, string> = {}): Promise<{ rows: DoctorRow[]; cacheDir: string }> {
  const home = mkdtempSync(join(scratch, "home-"));
  const fullEnv = { HOME: home, ...env };
  const config = loadConfig({ env: fullEnv, flags: {} });
  const paths = resolveDataPaths(config.paths, fullEnv);
  return { rows: await EMBEDDER_CHECK.run({ config, paths, env: fullEnv }), cacheDir: paths.cacheDir };
}

const ONNXRUNTIME_OK: DoctorRow = { check: "onnxruntime", status: "ok", detail: "onnxruntime-node 1.30.0 loaded (from node_modules)" };

describe("doctor: the MiniLM embedder", () => {
  test("a configured model that loads: ok, with its dimensions", async () => {
    const { rows } = await runCheck({ ANYCLAUDE_EMBEDDING__MODEL_PATH: modelPath });
    expect(rows).toEqual([
      ONNXRUNTIME_OK,
      {
        check: "embedder",
        status: "ok",
        detail: expect.stringMatching(new RegExp(`^all-MiniLM-L6-v2 \\(configured\\) ${modelPath}: 384 dims, loaded in \\d+ ms$`)),
      },
    ]);
  });

  test.skipIf(existsSync(join(EMBEDDED_MODELS_DIR, MINILM_FILE_NAME)))(
    "none configured, none pulled, none built in: a warning naming where it looked and how to get one",
    async () => {
      const { rows, cacheDir } = await runCheck();
      expect(rows).toEqual([
        ONNXRUNTIME_OK,
        {
          check: "embedder",
          status: "warn",
          detail: `no all-MiniLM-L6-v2 ONNX file at ${cacheDir}/models/${MINILM_FILE_NAME} or ${join(EMBEDDED_MODELS_DIR, MINILM_FILE_NAME)}; run \`anyclaude models pull\`, or pass --model-path FILE (config embedding.modelPath)`,
          fix: "get it with `anyclaude models pull` (about 90 MB); until then only the exact cache works",
        },
      ]);
    },
  );

  test("a configured path that does not exist: a failure", async () => {
    const missing = join(scratch, "typo.onnx");
    const { rows } = await runCheck({ ANYCLAUDE_EMBEDDING__MODEL_PATH: missing });
    expect(rows[1]).toMatchObject({
      check: "embedder",
      status: "fail",
      detail: `no all-MiniLM-L6-v2 ONNX file at ${missing}; run \`anyclaude models pull\`, or pass --model-path FILE (config embedding.modelPath)`,
    });
  });

  test("a damaged file: a failure that says to pull again", async () => {
    const damaged = join(scratch, "damaged.onnx");
    writeFileSync(damaged, "truncated");
    const { rows } = await runCheck({ ANYCLAUDE_EMBEDDING__MODEL_PATH: damaged });
    expect(rows[1]).toMatchObject({
      check: "embedder",
      status: "fail",
      fix: "the file may be damaged or not all-MiniLM-L6-v2: run `anyclaude models pull` again, or point --model-path at the right file",
    });
    expect(rows[1]!.detail).toStartWith(`all-MiniLM-L6-v2 (configured) ${damaged}: ${damaged}: ONNX Runtime cannot load it: `);
  });
});

describe("doctor: a backend's embedding endpoint", () => {
  const backendEnv = (model: string) => ({
    ANYCLAUDE_EMBEDDING__SOURCE: "backend",
    ANYCLAUDE_EMBEDDING__BACKEND_URL: `http://127.0.0.1:${embeddings.port}`,
    ANYCLAUDE_EMBEDDING__BACKEND_MODEL: model,
  });

  test("it answers: ok with its dimensions, and ONNX Runtime is not loaded for nothing", async () => {
    const { rows } = await runCheck(backendEnv("nomic-embed-text"));
    expect(rows).toEqual([
      {
        check: "embedder",
        status: "ok",
        detail: expect.stringMatching(
          new RegExp(`^openai embeddings at http://127\\.0\\.0\\.1:${embeddings.port}: 768 dims, loaded in \\d+ ms$`),
        ),
      },
    ]);
  });

  test("it refuses the model: a failure with what the server said", async () => {
    const { rows } = await runCheck(backendEnv("no-such-model"));
    expect(rows).toEqual([
      {
        check: "embedder",
        status: "fail",
        detail: `openai embeddings at http://127.0.0.1:${embeddings.port}: http://127.0.0.1:${embeddings.port}/v1/embeddings answered 404: {"error":{"message":"model no-such-model not found"}}`,
        fix: "start the server with an embedding model (llama-server --embeddings, `ollama pull <model>`), or set embedding.source: minilm",
      },
    ]);
  });

  test("no model named: a failure pointing at the setting", async () => {
    const { rows } = await runCheck({
      ANYCLAUDE_EMBEDDING__SOURCE: "backend",
      ANYCLAUDE_EMBEDDING__BACKEND_URL: `http://127.0.0.1:${embeddings.port}`,
    });
    expect(rows).toEqual([
      {
        check: "embedder",
        status: "fail",
        detail: "embedding.backendModel: required when embedding.source is backend (the server's embedding model)",
        fix: "complete the embedding section",
      },
    ]);
  });
});
