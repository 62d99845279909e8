/**
 * The compiled binary on a bare machine: copied alone into an empty directory, with fresh HOME,
 * XDG directories and a noexec TMPDIR, no node_modules and nothing inherited from this process.
 * It must answer --version, pass doctor, load ONNX Runtime from its cache dir and embed with the
 * stand-in MiniLM (given with --model-path, then pulled from a loopback server), serve /health,
 * /docs and /dashboard with their own assets and both kinds of /v1/messages through a loopback
 * engine (the request history counting them), never
 * print the backend's API key, and exit promptly on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { version as packageVersion } from "../../package.json" with { type: "json" };
import { SERVE_RUNTIME_ENVIRONMENT } from "../../src/cli/serve-runtime-environment";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { type AnyclaudeBinary, type BareMachine, findOrBuildAnyclaudeBinary, prepareBareMachine } from "../support/anyclaude-binary";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { writeMiniLMStandin } from "../support/generate-minilm-standin";
import { parseSse } from "../support/parse-sse";
import { ServeProcess } from "../support/spawn-anyclaude-serve";

// Compiling takes a few seconds on a quiet machine, much longer on two busy cores.
const BUILD_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 60_000;
const API_KEY = "sk-smoke-test-secret-0123456789";

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-binary-"));
let binary: AnyclaudeBinary;
let machine: BareMachine;
let backend: FakeOpenAIBackend;
let serve: ServeProcess;
let baseUrl: string;
let standinModelPath: string;
let standinSha256: string;
let modelServer: { url: string; stop(): void };
/** Everything the binary printed, to check no secret was among it. */
const printed: string[] = [];

beforeAll(async () => {
  standinModelPath = writeMiniLMStandin(join(scratch, "minilm-standin.onnx"));
  const standin = readFileSync(standinModelPath);
  standinSha256 = new Bun.CryptoHasher("sha256").update(standin).digest("hex");
  // Served as a model hub serves it: a redirect stating the SHA-256, then the bytes.
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (request) =>
      new URL(request.url).pathname === "/model.onnx"
        ? new Response(null, { status: 302, headers: { location: "/blob", "x-linked-etag": `"${standinSha256}"` } })
        : new Response(standin),
  });
  modelServer = { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
  binary = await findOrBuildAnyclaudeBinary(scratch);
  machine = prepareBareMachine(binary.path, scratch);
  if (machine.noexecTmpProblem) console.warn(`TMPDIR is an ordinary directory, not a noexec mount: ${machine.noexecTmpProblem}`);
  backend = startFakeOpenAIBackend((request) =>
    (request.body as { stream?: boolean }).stream
      ? openAIStream(llamaServerChunks({ text: "Streamed from the binary.", pieces: 4 }))
      : openAIJson(llamaServerCompletion({ text: "Answered by the binary.", usage: { promptTokens: 12, completionTokens: 5 } })),
  );
  // The default config file, found through XDG_CONFIG_HOME; the API key must never be printed.
  const configDir = join(machine.env.XDG_CONFIG_HOME!, "anyclaude");
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    join(configDir, "config.yaml"),
    `backends:\n  - url: ${backend.url}/v1\n    apiKey: ${API_KEY}\nlogging:\n  level: debug\n`,
  );
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  modelServer?.stop();
  if (serve?.running) serve.kill("SIGKILL");
  await backend?.stop();
  machine?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

async function runBinary(args: string[]) {
  const child = Bun.spawn([machine.binary, ...args], { cwd: machine.cwd, env: machine.env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  printed.push(stdout, stderr);
  return { stdout, stderr, status };
}

describe("the compiled binary, alone on a bare machine", () => {
  test("TMPDIR really is noexec (or the reason it is not was printed)", () => {
    if (machine.noexecTmpProblem) return;
    const program = join(machine.env.TMPDIR!, "true");
    copyFileSync("/bin/true", program);
    expect(() => Bun.spawnSync([program])).toThrow();
    rmSync(program);
  });

  test(
    "--version prints the stamped version and commit",
    async () => {
      const { stdout, status } = await runBinary(["--version"]);
      expect(status).toBe(0);
      const commit = binary.stamp?.commit ?? "([0-9a-f]{7,}|dev)";
      expect(stdout).toMatch(new RegExp(`^anyclaude ${packageVersion.replaceAll(".", "\\.")} \\(commit ${commit}\\)\\n$`));
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "doctor passes: embedded Swagger files, writable XDG directories, the database migrated, the hnswlib addon, the backend from the XDG config file",
    async () => {
      const { stdout, status } = await runBinary(["doctor"]);
      // No embedding model on this machine yet: a warning on that line, nothing failed.
      expect(stdout).toContain("No problems, 1 warning.");
      expect(status).toBe(0);
      const lines = stdout.split("\n").map((line) => line.replace(/ {2,}/g, " | "));
      expect(lines).toContain(`config | ok | valid, from ${machine.env.XDG_CONFIG_HOME}/anyclaude/config.yaml`);
      expect(lines.some((line) => /^\/docs swagger-ui-bundle\.js \| ok \| embedded, /.test(line))).toBe(true);
      expect(lines.some((line) => /^\/docs swagger-ui\.css \| ok \| embedded, /.test(line))).toBe(true);
      expect(lines.some((line) => /^\/dashboard uPlot\.iife\.min\.js \| ok \| embedded, /.test(line))).toBe(true);
      expect(lines.some((line) => /^\/dashboard dashboard\.html \| ok \| embedded, /.test(line))).toBe(true);
      expect(lines).toContain(`data dir | ok | ${machine.env.XDG_DATA_HOME}/anyclaude (writable)`);
      expect(lines).toContain(`cache dir | ok | ${machine.env.XDG_CACHE_HOME}/anyclaude (writable)`);
      // The store's migrations come from the drizzle/ folder embedded in the binary.
      const migrations = readdirSync(join(import.meta.dir, "../../drizzle")).filter((name) => name.endsWith(".sql")).length;
      expect(lines).toContain(
        `database | ok | ${machine.env.XDG_DATA_HOME}/anyclaude/anyclaude.db, ${migrations} of ${migrations} migrations applied (embedded)`,
      );
      // hnswlib-node's addon, embedded and unpacked into the cache dir: TMPDIR is noexec.
      expect(lines).toContain(`hnswlib addon | ok | loads and searches (embedded, unpacked under ${machine.env.XDG_CACHE_HOME}/anyclaude)`);
      const nativeDirs = readdirSync(join(machine.env.XDG_CACHE_HOME!, "anyclaude")).filter((name) => name.startsWith("native-"));
      expect(nativeDirs.some((name) => readdirSync(join(machine.env.XDG_CACHE_HOME!, "anyclaude", name)).includes("addon.node"))).toBe(
        true,
      );
      expect(lines).toContain(
        `llamacpp-${backend.port} context window | ok | qwen3-coder-30b-a3b 32768 (llama-server /props n_ctx per slot)`,
      );
      // onnxruntime-node's binding and libonnxruntime.so.1, embedded and unpacked side by side into the cache dir.
      expect(lines).toContain(
        `onnxruntime | ok | onnxruntime-node 1.30.0 loaded (embedded, unpacked under ${machine.env.XDG_CACHE_HOME}/anyclaude)`,
      );
      expect(lines).toContain(
        `embedder | WARN | no all-MiniLM-L6-v2 ONNX file at ${machine.env.XDG_CACHE_HOME}/anyclaude/models/all-MiniLM-L6-v2.onnx or /$bunfs/root/models/all-MiniLM-L6-v2.onnx; run \`anyclaude models pull\`, or pass --model-path FILE (config embedding.modelPath)`,
      );
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "doctor --model-path: ONNX Runtime runs the stand-in MiniLM from the cache dir, telemetry off",
    async () => {
      const { stdout, status } = await runBinary(["doctor", "--model-path", standinModelPath]);
      expect(stdout).toContain("No problems.");
      expect(status).toBe(0);
      const lines = stdout.split("\n").map((line) => line.replace(/ {2,}/g, " | "));
      expect(
        lines.some((line) =>
          new RegExp(
            `^embedder \\| ok \\| all-MiniLM-L6-v2 \\(configured\\) ${RegExp.escape(standinModelPath)}: 384 dims, loaded in \\d+ ms$`,
          ).test(line),
        ),
      ).toBe(true);
      const cacheDir = join(machine.env.XDG_CACHE_HOME!, "anyclaude");
      const nativeFiles = readdirSync(cacheDir)
        .filter((name) => name.startsWith("native-"))
        .flatMap((name) => readdirSync(join(cacheDir, name)));
      expect(nativeFiles).toEqual(expect.arrayContaining(["onnxruntime_binding.node", "libonnxruntime.so.1"]));
      expect(existsSync(join(machine.env.HOME!, ".cache", "Microsoft"))).toBe(false);
      expect(existsSync(join(machine.env.XDG_CACHE_HOME!, "Microsoft"))).toBe(false);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "models pull fetches the model into the cache dir, verified; doctor then embeds with it",
    async () => {
      const pull = await runBinary(["models", "pull", "--url", `${modelServer.url}/model.onnx`]);
      expect(pull.status).toBe(0);
      const target = `${machine.env.XDG_CACHE_HOME}/anyclaude/models/all-MiniLM-L6-v2.onnx`;
      expect(pull.stdout).toBe(`saved ${target} (0.6 MB)\nsha256 ${standinSha256}, verified against x-linked-etag\n`);
      const { stdout, status } = await runBinary(["doctor"]);
      expect(status).toBe(0);
      expect(stdout).toContain(`all-MiniLM-L6-v2 (downloaded) ${target}: 384 dims`);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "serve --port 0, started with the runtime settings as its systemd unit starts it, listens and /health answers",
    async () => {
      const child = Bun.spawn([machine.binary, "serve", "--port", "0"], {
        cwd: machine.cwd,
        // A BUN_JSC_* name this Bun did not know would stop it before it listened.
        env: { ...machine.env, ...SERVE_RUNTIME_ENVIRONMENT },
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
      });
      serve = new ServeProcess(child);
      baseUrl = (await serve.address()).url;
      const response = await fetch(`${baseUrl}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "ok", version: packageVersion });
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "/docs renders from assets the binary serves itself",
    async () => {
      const page = await fetch(`${baseUrl}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      for (const [asset, contentType] of [
        ["swagger-ui-bundle.js", "text/javascript"],
        ["swagger-ui.css", "text/css"],
      ] as const) {
        expect(html).toContain(`/docs/assets/${asset}`);
        const response = await fetch(`${baseUrl}/docs/assets/${asset}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toStartWith(contentType);
        const served = new Uint8Array(await response.arrayBuffer());
        expect(served).toEqual(new Uint8Array(readFileSync(join(import.meta.dir, "../../node_modules/swagger-ui-dist", asset))));
      }
      // No address outside this server: the page must work with no internet.
      expect(html).not.toMatch(/(src|href)="https?:/);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "a non-streaming /v1/messages goes through the loopback engine",
    async () => {
      const response = await postMessage(false);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { type: string; content: Array<{ type: string; text?: string }> };
      expect(body.type).toBe("message");
      expect(body.content).toEqual([{ type: "text", text: "Answered by the binary." }]);
      expect(backend.requestsTo("/v1/chat/completions").at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "a streaming /v1/messages arrives as Anthropic events in order",
    async () => {
      const response = await postMessage(true);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toStartWith("text/event-stream");
      const events: MessageStreamEvent[] = [];
      for await (const { data } of parseSse(response.body!)) events.push(JSON.parse(data) as MessageStreamEvent);
      expect(checkAnthropicEventOrder(events)).toEqual([]);
      const text = events
        .map((event) => (event.type === "content_block_delta" && event.delta.type === "text_delta" ? event.delta.text : ""))
        .join("");
      expect(text).toBe("Streamed from the binary.");
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "the same request again is answered from the response cache in the data dir (embedded migrations)",
    async () => {
      const calls = backend.requestsTo("/v1/chat/completions").length;
      const response = await postMessage(false);
      expect(response.headers.get("x-anyclaude-cache")).toBe("hit");
      expect(((await response.json()) as { content: unknown }).content).toEqual([{ type: "text", text: "Answered by the binary." }]);
      expect(backend.requestsTo("/v1/chat/completions").length).toBe(calls);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "/dashboard renders from files the binary serves itself, and /api/stats counts what it answered",
    async () => {
      const page = await fetch(`${baseUrl}/dashboard`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toStartWith("text/html");
      const html = await page.text();
      expect(html).not.toMatch(/(src|href)="https?:/);
      const served = [
        ["dashboard.js", join(import.meta.dir, "../../src/server/dashboard/dashboard.js")],
        ["dashboard.css", join(import.meta.dir, "../../src/server/dashboard/dashboard.css")],
        ["uPlot.iife.min.js", join(import.meta.dir, "../../node_modules/uplot/dist/uPlot.iife.min.js")],
        ["uPlot.min.css", join(import.meta.dir, "../../node_modules/uplot/dist/uPlot.min.css")],
      ] as const;
      for (const [asset, source] of served) {
        expect(html).toContain(`/dashboard/assets/${asset}`);
        const response = await fetch(`${baseUrl}/dashboard/assets/${asset}`);
        expect([asset, response.status]).toEqual([asset, 200]);
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(readFileSync(source)));
      }
      // The three requests above: two answered by the engine, one from the cache.
      const stats = (await (await fetch(`${baseUrl}/api/stats?window=1h`)).json()) as { requests: number; cache: { hits: number } };
      expect(stats).toMatchObject({ requests: 3, cache: { hits: 1 } });
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "SIGTERM: exits with status 0 within 10 s",
    async () => {
      serve.kill("SIGTERM");
      const deadline = new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 10_000).unref());
      expect(await Promise.race([serve.child.exited, deadline])).toBe(0);
      const { stdout, stderr } = await serve.ended();
      printed.push(stdout, stderr);
      expect(stderr).toContain("shutting down signal=SIGTERM");
    },
    STEP_TIMEOUT_MS,
  );

  test("left nothing in its working directory or TMPDIR, and never printed the API key", () => {
    expect(readdirSync(machine.cwd)).toEqual(["anyclaude"]);
    expect(readdirSync(machine.env.TMPDIR!)).toEqual([]);
    // Debug logging was on: requests, backends and config were all logged.
    expect(printed.join("").length).toBeGreaterThan(0);
    expect(printed.join("")).not.toContain(API_KEY.slice(3));
  });
});

function postMessage(stream: boolean): Promise<Response> {
  return fetch(`${baseUrl}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "ignored-by-anyclaude" },
    // Two different requests: the same one again would be answered by the response cache.
    body: JSON.stringify({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      stream,
      messages: [{ role: "user", content: stream ? "Stream hello." : "Say hello." }],
    }),
  });
}
