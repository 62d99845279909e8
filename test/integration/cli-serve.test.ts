/**
 * `anyclaude serve` as a user runs it: the real entry point in its own process (`bun
 * src/cli/main.ts serve`), against scripted loopback engines. Covers what it prints, where it
 * finds backends (and keeps finding them), how several back each other up, configuration files,
 * a port already taken, and how it stops on SIGTERM.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SERVE_RUNTIME_ENVIRONMENT } from "../../src/cli/serve-runtime-environment";
import type { FakeScript } from "../support/fake-backend-server";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { chunk, finishChunk, llamaServerChunks, llamaServerCompletion, roleChunk } from "../support/fake-openai-chunks";
import { findClosedPort } from "../support/find-closed-port";
import { readProcessEnvironment, ServeProcess, spawnAnyclaudeServe } from "../support/spawn-anyclaude-serve";
import { expectCommandLineFailover, expectLateEngineFound } from "../support/zero-config-serve-checks";

const ROOT = join(import.meta.dir, "../..");
const LOCAL_MODEL = "qwen3-coder-30b-a3b";
const STOP_DEADLINE_MS = 10_000;
/** Well under the 8 s drain: an idle server that waited for it would miss this. */
const IDLE_STOP_DEADLINE_MS = 5_000;

const home = mkdtempSync(join(tmpdir(), "anyclaude-serve-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

let cleanups: Array<() => Promise<unknown> | undefined> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** No inherited environment; SIGKILL at cleanup, by PID, because a failed test may leave it draining. */
function startServe(args: string[], env: Record<string, string> = {}): ServeProcess {
  const serve = spawnAnyclaudeServe(args, { home, env });
  cleanups.push(async () => {
    if (serve.running) serve.kill("SIGKILL");
    await serve.ended();
  });
  return serve;
}

/** Answers every chat completion with `text`, streamed or as JSON, as the request asks. */
function replyWith(text: string): FakeScript {
  return (request) =>
    (request.body as { stream?: boolean }).stream ? openAIStream(llamaServerChunks({ text })) : openAIJson(llamaServerCompletion({ text }));
}

function startBackend(script: FakeScript = replyWith("Hello from the fake."), model = LOCAL_MODEL, port?: number): FakeOpenAIBackend {
  const backend = startFakeOpenAIBackend(script, { model, port });
  cleanups.push(() => backend.stop());
  return backend;
}

async function postMessage(baseUrl: string, body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${baseUrl}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "claude-opus-5-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }], ...body }),
  });
}

/** Whether the process ends within `deadlineMs` of `since` (a performance.now() time); prints how long it took. */
async function exitsBefore(serve: ServeProcess, since: number, deadlineMs: number, label: string): Promise<boolean> {
  const ended = await Promise.race([
    serve.child.exited.then(() => true),
    Bun.sleep(Math.max(0, since + deadlineMs - performance.now())).then(() => false),
  ]);
  console.log(
    `${label}: ${ended ? `exited ${Math.round(performance.now() - since)} ms after the signal` : `still running ${deadlineMs} ms after the signal`}`,
  );
  return ended;
}

function sseEventNames(text: string): string[] {
  return [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]!);
}

/** anyclaude serve in front of a backend that starts a stream and then stalls; the client has read message_start. */
async function startServeWithStalledStream() {
  const backend = startBackend(openAIStream([roleChunk(), chunk({ content: "stalling" })], { end: "stall" }));
  const serve = startServe(["--port", "0", "--backend", backend.url]);
  const address = await serve.address();
  const response = await postMessage(address.url, { stream: true });
  const reader = response.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toStartWith("event: message_start");
  return { serve, reader };
}
describe("anyclaude serve", () => {
  test("--port 0 prints the bound port in the export line on 127.0.0.1, lists the backend, and serves through it", async () => {
    const backend = startBackend();
    const serve = startServe(["--port", "0", "--backend", backend.url]);

    const address = await serve.address();

    expect(address.host).toBe("127.0.0.1");
    expect(address.port).toBeGreaterThan(0);
    expect(serve.stdout).toContain(`listening on http://127.0.0.1:${address.port}\n`);
    const id = `llamacpp-${backend.port}`;
    expect(serve.stdout).toContain(
      `Backends:\n  ${id}  llamacpp, translate mode, ${backend.url}  up, models: ${LOCAL_MODEL} (32768 ctx)\n`,
    );

    const response = await postMessage(address.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-anyclaude-backend")).toBe(id);
    const message = (await response.json()) as { content: Array<{ type: string; text?: string }> };
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake." }]);
    expect(backend.requestsTo("/v1/chat/completions").map((request) => (request.body as { model: string }).model)).toEqual([LOCAL_MODEL]);
  });

  test("serve takes its environment as it is: no restart, no runtime settings of its own", async () => {
    const backend = startBackend();
    const serve = startServe(["--port", "0", "--backend", backend.url]);
    const address = await serve.address();
    const environment = readProcessEnvironment(serve.child.pid);
    for (const name of Object.keys(SERVE_RUNTIME_ENVIRONMENT)) expect(environment[name]).toBeUndefined();
    expect((await postMessage(address.url)).status).toBe(200);
  });

  test("`npm start` (here `bun run start`) serves with the runtime settings, and a value the user set wins", async () => {
    const backend = startBackend();
    const starter = Bun.spawn([process.execPath, "run", "start", "--", "--port", "0", "--backend", backend.url], {
      cwd: ROOT,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, NO_COLOR: "1", BUN_JSC_useFTLJIT: "1" },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const output = new ServeProcess(starter);
    const address = await output.address();
    // The script's command runs as the starter's one child.
    const servePid = Number(readFileSync(`/proc/${starter.pid}/task/${starter.pid}/children`, "utf8").trim());
    cleanups.push(async () => {
      process.kill(servePid, "SIGKILL");
      await output.ended();
    });
    expect(readProcessEnvironment(servePid)).toMatchObject({ ...SERVE_RUNTIME_ENVIRONMENT, BUN_JSC_useFTLJIT: "1" });
    expect(readFileSync(`/proc/${servePid}/cmdline`, "latin1").split("\0").slice(-7, -1)).toEqual([
      "src/cli/main.ts",
      "serve",
      "--port",
      "0",
      "--backend",
      backend.url,
    ]);
    expect((await postMessage(address.url)).status).toBe(200);
  });

  test("--backend repeats, with or without /v1, and each backend is reachable", async () => {
    const first = startBackend(undefined, "model-a");
    const second = startBackend(replyWith("From B."), "model-b");
    const serve = startServe(["--port", "0", "--backend", `${first.url}/v1`, "--backend", second.url]);

    const address = await serve.address();

    expect(serve.stdout).toContain(`  llamacpp-${first.port}  llamacpp, translate mode, ${first.url}  up, models: model-a (32768 ctx)\n`);
    expect(serve.stdout).toContain(`  llamacpp-${second.port}  llamacpp, translate mode, ${second.url}  up, models: model-b (32768 ctx)\n`);
    // A model the second backend serves, asked by name, goes there; the first one, given with /v1, gets the default.
    const direct = await postMessage(address.url, { model: "model-b" });
    expect(((await direct.json()) as { content: unknown }).content).toEqual([{ type: "text", text: "From B." }]);
    expect((await postMessage(address.url)).status).toBe(200);
    expect([first.requestsTo("/v1/chat/completions").length, second.requestsTo("/v1/chat/completions").length]).toEqual([1, 1]);
    // "/v1" given or not, it is never doubled.
    expect([...first.requests, ...second.requests].filter((request) => request.path.startsWith("/v1/v1"))).toEqual([]);
  });

  test("--host 0.0.0.0 --allow-unauthenticated listens on every interface with a warning, and prints 127.0.0.1, an address a client can dial", async () => {
    const backend = startBackend();
    // Without a key or the flag it would refuse to start (test/integration/open-proxy.test.ts).
    const serve = startServe(["--port", "0", "--host", "0.0.0.0", "--allow-unauthenticated", "--backend", backend.url]);

    const address = await serve.address();

    expect(serve.stdout).toContain(`listening on http://0.0.0.0:${address.port}\n`);
    expect(serve.stderr).toContain("listening on 0.0.0.0 with no client key (--allow-unauthenticated)");
    expect(address.host).toBe("127.0.0.1");
    expect((await postMessage(address.url)).status).toBe(200);
  });

  test("without a backend it probes the discovery ports, says what it found, and serves through it", async () => {
    const backend = startBackend();
    const serve = startServe(["--port", "0"], { ANYCLAUDE_DISCOVERY__PORTS: `${await findClosedPort()},${backend.port}` });

    const address = await serve.address();

    expect(serve.stdout).toContain(
      `Backends found on local ports:\n  llamacpp-${backend.port}  llamacpp, translate mode, ${backend.url}  up, models: ${LOCAL_MODEL}`,
    );
    expect(serve.stderr).toContain(`no backend configured; probing local ports ports=`);
    expect((await postMessage(address.url)).status).toBe(200);
    // A discovered backend gets the default deadlines (it once got none: every timer NaN, i.e. 1 ms).
    expect(serve.stderr).not.toContain("TimeoutNaNWarning");
  });

  test("when discovery finds nothing it says so and keeps looking; an engine started there serves the next request without a restart", async () => {
    await expectLateEngineFound((args, env) => startServe(args, env));
  });

  test("discovery off and no backend: it says requests fail until a restart with a backend", async () => {
    const serve = startServe(["--port", "0"], { ANYCLAUDE_DISCOVERY__ENABLED: "false" });

    const address = await serve.address();

    expect(serve.stdout).toContain("No backend configured, and discovery is off (discovery.enabled: false). Requests will fail until\n");
    expect(serve.stdout).toContain("anyclaude serve --backend http://127.0.0.1:8080\n");
    const response = await postMessage(address.url);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { type: "api_error", message: expect.stringContaining("no backend") } });
  });

  test("two --backend engines serving one model: the first is primary, the second takes over when it dies, and it comes back", async () => {
    await expectCommandLineFailover((args, env) => startServe(args, env));
  });

  test("a --backend down at start-up: the banner says it joins once it answers, and it does without a restart", async () => {
    const port = await findClosedPort();
    const serve = startServe(["--port", "0", "--backend", `http://127.0.0.1:${port}`], { ANYCLAUDE_HEALTH__UNHEALTHY_INTERVAL_MS: "100" });
    const address = await serve.address();
    expect(serve.stdout).toContain(`DOWN: backend backend-${port} is unreachable: no engine answered at http://127.0.0.1:${port}`);
    expect(serve.stdout).toContain("; used once it answers (probed every 0.1 s)\n");
    expect(serve.stdout).not.toContain("restart");
    // Nothing known to route to yet: no routing line naming a made-up model.
    expect(serve.stdout).not.toContain("Routing");

    startBackend(undefined, "late-model", port);
    for (let response = await postMessage(address.url); response.status !== 200; response = await postMessage(address.url)) {
      expect(response.status).toBe(529);
      await Bun.sleep(100);
    }
    await serve.waitForStderr(new RegExp(`backend models read backend=backend-${port} models="late-model \\(32768 ctx\\)"`));
  });

  test("--config reads a YAML file: its backend id, routing and port apply", async () => {
    const backend = startBackend();
    const file = join(home, "serve.yaml");
    writeFileSync(
      file,
      [
        "server:",
        "  port: 0",
        "backends:",
        "  - id: yaml-llama",
        `    url: ${backend.url}/v1`,
        "    kind: llamacpp",
        "    mode: translate",
        "models:",
        `  opus: yaml-llama/${LOCAL_MODEL}`,
        "",
      ].join("\n"),
    );
    const serve = startServe(["--config", file]);

    const address = await serve.address();

    expect(serve.stdout).toContain(`  yaml-llama  llamacpp, translate mode, ${backend.url}  up`);
    const response = await postMessage(address.url);
    expect(response.status).toBe(200);
    expect([response.headers.get("x-anyclaude-backend"), response.headers.get("x-anyclaude-route")]).toEqual(["yaml-llama", "opus"]);
  });

  test("an invalid configuration exits 78 and lists every bad field with where it came from", async () => {
    const file = join(home, "invalid.yaml");
    writeFileSync(
      file,
      [
        "backends:",
        "  - url: http://127.0.0.1:9",
        "    mode: nativ",
        "    timeouts:",
        "      idleMs: 0",
        "discovery:",
        "  timeoutMs: soon",
        "",
      ].join("\n"),
    );
    const serve = startServe(["--config", file, "--port", "99999"], { ANYCLAUDE_LOG_LEVEL: "loud" });

    const { status, stdout, stderr } = await serve.ended();

    expect(status).toBe(78);
    expect(stdout).toBe("");
    const problems = stderr.split("\n").filter((line) => line.startsWith("  - "));
    expect(problems.map((line) => line.slice(4, line.indexOf(":")))).toEqual(
      expect.arrayContaining(["backends[0].mode", "backends[0].timeouts.idleMs", "discovery.timeoutMs", "server.port", "logging.level"]),
    );
    expect(problems).toHaveLength(5);
    expect(problems.find((line) => line.includes("server.port"))).toEndWith("(flag --port)");
    expect(problems.find((line) => line.includes("logging.level"))).toEndWith("(env ANYCLAUDE_LOG_LEVEL)");
    expect(problems.find((line) => line.includes("backends[0].mode"))).toEndWith(`(${file} line 3)`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test("a port already in use: a clear message and exit 1, not a stack trace", async () => {
    const backend = startBackend();
    const first = startServe(["--port", "0", "--backend", backend.url]);
    const { port } = await first.address();
    const second = startServe(["--port", String(port), "--backend", backend.url]);

    const { status, stdout, stderr } = await second.ended();

    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `cannot listen on 127.0.0.1:${port}: the port is already in use; stop what holds it or choose another with --port (0 picks a free one) (EADDRINUSE)`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test("SIGTERM while a stream is in flight: the stream completes and the process exits before the deadline", async () => {
    const pieces = ["one ", "two ", "three ", "four ", "five ", "six"].flatMap((content) => [chunk({ content }), { pauseMs: 250 }]);
    const backend = startBackend(openAIStream([roleChunk(), ...pieces, finishChunk("stop")]));
    const serve = startServe(["--port", "0", "--backend", backend.url]);
    const address = await serve.address();

    const response = await postMessage(address.url, { stream: true });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("event: content_block_delta")) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(sseEventNames(text)).not.toContain("message_stop");
    const signalled = performance.now();
    serve.kill("SIGTERM");
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true });
    console.log(`SIGTERM with a stream in flight: the stream ended ${Math.round(performance.now() - signalled)} ms after SIGTERM`);

    expect(sseEventNames(text).at(-1)).toBe("message_stop");
    expect(text).toContain('"text":"six"');
    expect(await exitsBefore(serve, signalled, STOP_DEADLINE_MS, "SIGTERM with a stream in flight")).toBe(true);
    expect((await serve.ended()).status).toBe(0);
    expect(serve.stderr).toContain("shutting down signal=SIGTERM");
  });

  test("SIGTERM while a stream outlasts the drain: the stream ends with an overloaded_error frame and the process exits before the deadline", async () => {
    const { serve, reader } = await startServeWithStalledStream();

    const signalled = performance.now();
    serve.kill("SIGTERM");
    const decoder = new TextDecoder();
    let text = "";
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true });
    console.log(`SIGTERM with a stalled stream: ended ${Math.round(performance.now() - signalled)} ms after SIGTERM`);

    // Not a reset: an error Claude Code knows to retry, then the end of the body.
    expect(sseEventNames(text).at(-1)).toBe("error");
    expect(text).toContain('"type":"overloaded_error"');
    expect(text).toContain("anyclaude is shutting down");
    expect(await exitsBefore(serve, signalled, STOP_DEADLINE_MS, "SIGTERM with a stalled stream")).toBe(true);
    expect((await serve.ended()).status).toBe(0);
    expect(serve.stderr).toContain("drain ran out; open streams ended with an overloaded_error frame streams=1");
  });

  test("a second signal during the drain exits at once with status 1", async () => {
    const { serve } = await startServeWithStalledStream();

    serve.kill("SIGTERM");
    await serve.waitForStderr(/shutting down signal=SIGTERM/);
    const signalled = performance.now();
    serve.kill("SIGINT");

    expect(await exitsBefore(serve, signalled, IDLE_STOP_DEADLINE_MS, "SIGINT during the drain")).toBe(true);
    expect((await serve.ended()).status).toBe(1);
    expect(serve.stderr).toContain("second signal; closing open streams now signal=SIGINT");
  });

  test("SIGTERM when idle, after a request, exits promptly with status 0", async () => {
    const backend = startBackend();
    const serve = startServe(["--port", "0", "--backend", backend.url]);
    const address = await serve.address();
    // The client's pooled keep-alive connection stays open: it must not hold the drain.
    const response = await postMessage(address.url, { stream: true });
    expect(sseEventNames(await response.text()).at(-1)).toBe("message_stop");

    const signalled = performance.now();
    serve.kill("SIGTERM");

    expect(await exitsBefore(serve, signalled, IDLE_STOP_DEADLINE_MS, "SIGTERM when idle")).toBe(true);
    expect((await serve.ended()).status).toBe(0);
  });
});
