/**
 * The traffic the request history and dashboard tests replay: the real server with its cache and
 * history in a scratch data dir, in front of a loopback llama-server look-alike ("llama") and a
 * backend that is down ("down", a closed port). Each step is a request whose fate is known: a
 * miss, the same request again as a hit (JSON and streamed), and one the engine fails, which the
 * default group then carries to the backend that is down.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeOpenAIBackend, openAIError, openAIJson, openAIStream, startFakeOpenAIBackend } from "./fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "./fake-openai-chunks";
import { findClosedPort } from "./find-closed-port";
import { type StartedProxy, startProxy } from "./start-proxy";

export interface DashboardScenario {
  proxy: StartedProxy;
  backend: FakeOpenAIBackend;
  dataDir: string;
  /** Sends one step's request and reads its whole answer; returns the status. */
  send(step: TrafficStep): Promise<number>;
  stop(): Promise<void>;
}

export interface TrafficStep {
  text: string;
  stream: boolean;
}

/** Reply text that makes the engine fail with a 500. */
const FAIL = "please fail";
const USAGE = { promptTokens: 120, completionTokens: 30, cachedTokens: 100 };

/** What the scripted traffic is, and what the history must make of it. */
export const SCRIPTED_TRAFFIC = {
  steps: [
    { text: "hello", stream: false },
    { text: "hello", stream: false },
    { text: "tell a story", stream: true },
    { text: "tell a story", stream: true },
    { text: FAIL, stream: false },
  ] satisfies TrafficStep[],
  expected: { requests: 5, errors: 1, hits: 2, misses: 3, outputTokens: 60 },
};

/**
 * @example
 * const scenario = await startDashboardScenario(); // or ({ apiKey }): the server then asks for it, the dashboard for a login
 * for (const step of SCRIPTED_TRAFFIC.steps) await scenario.send(step);
 * await scenario.stop();
 */
export async function startDashboardScenario(options: { apiKey?: string; storeBodies?: boolean } = {}): Promise<DashboardScenario> {
  const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-dashboard-"));
  const backend = startFakeOpenAIBackend((request) => {
    const body = request.body as { stream?: boolean; messages: Array<{ content: unknown }> };
    if (JSON.stringify(body.messages).includes(FAIL)) return openAIError(500, "the engine crashed");
    return body.stream
      ? openAIStream(llamaServerChunks({ text: "Once upon a time.", usage: USAGE, pieces: 4 }))
      : openAIJson(llamaServerCompletion({ text: "Hello!", usage: USAGE }));
  });
  const downPort = await findClosedPort();
  const proxy = await startProxy(
    {
      retry: { maxAttempts: 1 },
      paths: { dataDir, cacheDir: join(dataDir, "cache-dir") },
      // Short, so a test sees rows in the store soon; the dashboard shows them live regardless.
      history: { flushIntervalMs: 200, storeBodies: options.storeBodies ?? false },
      ...(options.apiKey !== undefined && { server: { apiKey: options.apiKey } }),
    },
    [
      { id: "llama", url: backend.url, kind: "llamacpp", mode: "translate" },
      { id: "down", url: `http://127.0.0.1:${downPort}`, kind: "llamacpp", mode: "translate" },
    ],
    { reprobeMs: 60_000 },
  );
  return {
    proxy,
    backend,
    dataDir,
    async send(step) {
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
          ...(options.apiKey !== undefined && { "x-api-key": options.apiKey }),
        },
        body: JSON.stringify({
          model: "claude-sonnet-4-5",
          max_tokens: 64,
          stream: step.stream,
          messages: [{ role: "user", content: step.text }],
        }),
      });
      await response.text();
      return response.status;
    },
    async stop() {
      await proxy.stop();
      await backend.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
