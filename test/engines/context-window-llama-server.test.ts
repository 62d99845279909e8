// Real-engine tier: the window a real llama-server gives one request, as anyclaude reads it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listBackendModels } from "../../src/backends/list-backend-models";
import { findLlamaServer } from "../support/engines";
import { writeGguf } from "../support/generate-gguf";
import { type RunningLlamaServer, startLlamaServer } from "../support/llama-server";

const binary = findLlamaServer();
const dir = mkdtempSync(join(tmpdir(), "anyclaude-window-"));
let server: RunningLlamaServer | undefined;

beforeAll(async () => {
  if (!binary) return;
  const modelPath = join(dir, "tiny.gguf");
  await writeGguf(modelPath, "chatty");
  server = await startLlamaServer({ modelPath, ctx: 8_192, extraArgs: ["-np", "2"] });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test.skipIf(!binary)("-c 8192 -np 2: each request gets one slot's 4096 tokens", async () => {
  const settings = {
    id: "llama",
    kind: "llamacpp" as const,
    mode: "translate" as const,
    baseUrl: server!.url,
    thinkingStyle: "none" as const,
    timeouts: { firstByteMs: 5_000, idleMs: 5_000, totalMs: 5_000 },
  };
  const [model] = await listBackendModels(settings);
  expect(model).toMatchObject({ contextWindow: 4_096, contextWindowSource: "llama-server /props n_ctx per slot", slots: 2 });
});
