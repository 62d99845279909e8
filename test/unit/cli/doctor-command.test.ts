/**
 * `anyclaude doctor` in-process through runCli, against real loopback fake engines: each case
 * checks the table's lines, the fix under a failed one, and the exit status.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../src/cli/run-cli";
import { anthropicError } from "../../support/fake-anthropic-backend";
import { type FakeBackend, startFakeBackend } from "../../support/fake-backend-server";
import { writeMiniLMStandin } from "../../support/generate-minilm-standin";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-doctor-"));
// Every run gets an embedding model, so the totals do not depend on whether one sits in models/;
// doctor-embedder-check.test.ts covers a missing one.
const modelPath = writeMiniLMStandin(join(dir, "minilm-standin.onnx"));
let llama: FakeBackend;
let nativeLlama: FakeBackend;
let openai: FakeBackend;
let closedUrl: string;
/** Where doctor looks for a running `anyclaude serve`: a closed port, so no server on this machine shows up. */
let closedPort: number;

beforeAll(async () => {
  llama = startFakeBackend({ kind: "llamacpp", routes: {} });
  // Recent llama-server also answers Anthropic's /v1/messages; the probe's empty request gets a 400.
  nativeLlama = startFakeBackend({
    kind: "llamacpp",
    routes: { "/v1/messages": () => anthropicError(400, "invalid_request_error", "messages: empty") },
  });
  openai = startFakeBackend({ kind: "openai", model: "gpt-local", routes: {} });
  const closed = startFakeBackend({ kind: "llamacpp", routes: {} });
  closedUrl = closed.url;
  closedPort = closed.port;
  await closed.stop();
});
afterAll(async () => {
  await Promise.all([llama.stop(), nativeLlama.stop(), openai.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function runDoctor(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const home = mkdtempSync(join(dir, "home-"));
  const status = await runCli(["doctor", ...args], {
    env: { HOME: home, ANYCLAUDE_EMBEDDING__MODEL_PATH: modelPath, ANYCLAUDE_PORT: String(closedPort), ...env },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTerminal: false,
  });
  return { stdout, stderr, status, home, lines: stdout.split("\n").map((line) => line.replace(/ {2,}/g, " | ").trimEnd()) };
}

describe("anyclaude doctor", () => {
  test("a healthy llama-server: every line ok, status 0", async () => {
    const { lines, status, stderr, home } = await runDoctor(["--backend", llama.url]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^anyclaude \S+ \(commit \S+\) doctor$/),
      "",
      "CHECK | STATUS | DETAIL",
      "config | ok | valid (no config file: defaults, environment and flags)",
      expect.stringMatching(/^\/docs swagger-ui-bundle\.js \| ok \| from .*swagger-ui-bundle\.js, \d\.\d MB$/),
      expect.stringMatching(/^\/docs swagger-ui\.css \| ok \| from .*swagger-ui\.css, \d+ kB$/),
      expect.stringMatching(/^\/dashboard dashboard\.html \| ok \| from .*dashboard\.html, \d+(\.\d)? kB$/),
      expect.stringMatching(/^\/dashboard dashboard\.js \| ok \| from .*dashboard\.js, \d+(\.\d)? kB$/),
      expect.stringMatching(/^\/dashboard dashboard\.css \| ok \| from .*dashboard\.css, \d+(\.\d)? kB$/),
      expect.stringMatching(/^\/dashboard uPlot\.iife\.min\.js \| ok \| from .*uPlot\.iife\.min\.js, \d+ kB$/),
      expect.stringMatching(/^\/dashboard uPlot\.min\.css \| ok \| from .*uPlot\.min\.css, \d+(\.\d)? kB$/),
      `data dir | ok | ${home}/.local/share/anyclaude (writable)`,
      `cache dir | ok | ${home}/.cache/anyclaude (writable)`,
      expect.stringMatching(
        new RegExp(
          `^database \\| ok \\| ${home}/\\.local/share/anyclaude/anyclaude\\.db, (\\d+) of \\1 migrations applied \\(from .*/drizzle\\)$`,
        ),
      ),
      expect.stringMatching(/^hnswlib addon \| ok \| loads and searches \(from .*hnswlib-node\/build\/Release\/addon\.node\)$/),
      "onnxruntime | ok | onnxruntime-node 1.30.0 loaded (from node_modules)",
      expect.stringMatching(
        new RegExp(`^embedder \\| ok \\| all-MiniLM-L6-v2 \\(configured\\) ${modelPath}: 384 dims, loaded in \\d+ ms$`),
      ),
      `llamacpp-${llama.port} reachable | ok | llamacpp (detected) at ${llama.url}, translate mode`,
      `llamacpp-${llama.port} models | ok | qwen3-coder-30b-a3b`,
      `llamacpp-${llama.port} native /v1/messages | ok | no; requests are translated to /v1/chat/completions`,
      `llamacpp-${llama.port} context window | ok | qwen3-coder-30b-a3b 32768 (llama-server /props n_ctx per slot)`,
      expect.stringMatching(new RegExp(`^llamacpp-${llama.port} health probe \\| ok \\| GET /health answered in \\d+ ms$`)),
      `router | ok | no anyclaude serve answering at http://127.0.0.1:${closedPort}/health; the router's live state shows here while one runs`,
      "",
      "No problems.",
      "",
    ]);
  });

  test("native mode on an engine without /v1/messages fails with the setting to change", async () => {
    const file = join(dir, "native.yaml");
    writeFileSync(file, `backends:\n  - url: ${llama.url}\n    id: gpu\n    mode: native\n`);
    const { lines, status } = await runDoctor(["--config", file]);
    expect(status).toBe(1);
    const failed = lines.indexOf("gpu native /v1/messages | FAIL | mode is native but the engine has no /v1/messages");
    expect(failed).toBeGreaterThan(0);
    expect(lines[failed + 1]).toBe(" | fix: set backends[0].mode to translate (or auto)");
    expect(lines).toContain("1 problem.");
  });

  test("an engine with /v1/messages is found native", async () => {
    const { lines, status } = await runDoctor(["--backend", nativeLlama.url]);
    expect(status).toBe(0);
    expect(lines).toContain(`llamacpp-${nativeLlama.port} reachable | ok | llamacpp (detected) at ${nativeLlama.url}, native mode`);
    expect(lines).toContain(`llamacpp-${nativeLlama.port} native /v1/messages | ok | yes, used (native mode)`);
  });

  test("an engine that does not answer fails with where to look", async () => {
    const { lines, status } = await runDoctor(["--backend", closedUrl]);
    expect(status).toBe(1);
    const failed = lines.findIndex((line) => line.startsWith("backend-") && line.includes(" reachable | FAIL | no engine answered at"));
    expect(failed).toBeGreaterThan(0);
    expect(lines[failed + 1]).toBe(` | fix: start the engine at ${closedUrl}, or fix backends[0].url`);
  });

  test("a password in a backend URL is not printed", async () => {
    const withPassword = closedUrl.replace("http://", "http://me:hunter2@");
    const { stdout, status } = await runDoctor(["--backend", withPassword]);
    expect(status).toBe(1);
    expect(stdout).toContain(`fix: start the engine at ${closedUrl.replace("http://", "http://me:[redacted]@")}, or fix backends[0].url`);
    expect(stdout).not.toContain("hunter2");
  });

  test("an unknown context window is a warning, not a failure", async () => {
    const { lines, status } = await runDoctor(["--backend", openai.url]);
    expect(status).toBe(0);
    expect(lines).toContain(`openai-${openai.port} context window | WARN | not reported by the engine for gpt-local`);
    expect(lines).toContain(
      " | fix: set backends[0].contextWindow (or context.windows) to the window the engine runs with (llama-server -c, Ollama num_ctx)",
    );
    expect(lines).toContain("No problems, 1 warning.");
  });

  test("an Ollama model that would run with Ollama's default window is a warning; a loaded one says what it runs with", async () => {
    const idle = startFakeBackend({ kind: "ollama", model: "qwen3:8b", contextWindow: 40_960, ollamaLoaded: false, routes: {} });
    const loaded = startFakeBackend({ kind: "ollama", model: "qwen3:8b", contextWindow: 32_768, routes: {} });
    try {
      const cold = await runDoctor(["--backend", idle.url]);
      expect(cold.lines).toContain(
        `ollama-${idle.port} context window | WARN | qwen3:8b 4096 (ollama default num_ctx): Ollama's default, smaller than Claude Code's first request`,
      );
      const warm = await runDoctor(["--backend", loaded.url]);
      expect(warm.lines).toContain(`ollama-${loaded.port} context window | ok | qwen3:8b 32768 (ollama /api/ps context_length)`);
    } finally {
      await Promise.all([idle.stop(), loaded.stop()]);
    }
  });

  test("a missing API key variable fails on that backend", async () => {
    const file = join(dir, "key.yaml");
    writeFileSync(file, `backends:\n  - url: ${llama.url}\n    id: remote\n    apiKeyEnv: REMOTE_KEY\n`);
    const { lines, status } = await runDoctor(["--config", file]);
    expect(status).toBe(1);
    expect(lines).toContain(`remote api key | FAIL | backend ${llama.url}: environment variable REMOTE_KEY (apiKeyEnv) is not set`);
  });

  test("a data directory that cannot be created fails with the flag to choose another", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const { lines, status } = await runDoctor(["--backend", llama.url, "--data-dir", join(file, "data")]);
    expect(status).toBe(1);
    const failed = lines.findIndex((line) => line.startsWith(`data dir | FAIL | ${file}/data: `));
    expect(failed).toBeGreaterThan(0);
    expect(lines[failed + 1]).toBe(" | fix: part of the path is a file; choose another directory with --data-dir or paths.dataDir");
  });

  test("no backend and discovery off: fails with how to name one", async () => {
    const { lines, status } = await runDoctor([], { ANYCLAUDE_DISCOVERY__ENABLED: "false" });
    expect(status).toBe(1);
    expect(lines).toContain("backends | FAIL | none configured and discovery is off");
  });

  test("an invalid configuration: status 78, the problems listed, nothing else checked", async () => {
    const { stdout, status } = await runDoctor(["--port", "http", "--log-format", "xml"]);
    expect(status).toBe(78);
    expect(stdout).toContain("config  FAIL    invalid configuration (2 problems):\n");
    expect(stdout).toContain('  - server.port: expected integer from 0 to 65535, found "http" (flag --port)\n');
    expect(stdout).not.toContain("data dir");
  });

  test("an unknown option is a usage error", async () => {
    const { stderr, status } = await runDoctor(["--verbose"]);
    expect(status).toBe(2);
    expect(stderr).toBe("anyclaude: doctor: unknown option '--verbose'\nRun 'anyclaude doctor --help' for usage.\n");
  });
});
