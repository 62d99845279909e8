/**
 * ONNX Runtime writes a device id and a telemetry database under ~/.cache/Microsoft unless
 * ORT_DISABLE_TELEMETRY is in the real environment when it starts. Each case runs in a fresh
 * process with a temporary HOME: the package alone writes there (so the check can fail), the
 * embedder does not.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeMiniLMStandin } from "../../support/generate-minilm-standin";

const ROOT = join(import.meta.dir, "../../..");
const scratch = mkdtempSync(join(tmpdir(), "anyclaude-telemetry-"));
const modelPath = writeMiniLMStandin(join(scratch, "standin.onnx"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SCRIPTS = {
  "package-alone": `
const ort = await import("onnxruntime-node");
const session = await ort.InferenceSession.create(${JSON.stringify(modelPath)});
console.log(session.outputNames.join(","));
`,
  embedder: `
import { MiniLMEmbedder } from ${JSON.stringify(join(ROOT, "src/embed/minilm-embedder.ts"))};
const embedder = new MiniLMEmbedder({ modelPath: ${JSON.stringify(modelPath)}, cacheDir: ${JSON.stringify(join(scratch, "cache"))} });
const [vector] = await embedder.embed(["hello"]);
console.log(vector.length);
`,
};

async function runWithFreshHome(name: keyof typeof SCRIPTS) {
  const home = join(scratch, `home-${name}`);
  mkdirSync(home);
  // Run from the repository, so "onnxruntime-node" resolves from its node_modules.
  const child = Bun.spawn([process.execPath, "-e", SCRIPTS[name]], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: home },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { home, stdout, stderr, status };
}

test("onnxruntime-node alone writes ~/.cache/Microsoft (what the embedder must prevent)", async () => {
  const { home, stdout, stderr, status } = await runWithFreshHome("package-alone");
  expect(stderr).toBe("");
  expect(status).toBe(0);
  expect(stdout).toBe("last_hidden_state\n");
  expect(existsSync(join(home, ".cache", "Microsoft"))).toBe(true);
}, 60_000);

test("the embedder loads ONNX Runtime with telemetry off: no ~/.cache/Microsoft", async () => {
  const { home, stdout, stderr, status } = await runWithFreshHome("embedder");
  expect(stderr).toBe("");
  expect(status).toBe(0);
  expect(stdout).toBe("384\n");
  expect(existsSync(join(home, ".cache", "Microsoft"))).toBe(false);
}, 60_000);
