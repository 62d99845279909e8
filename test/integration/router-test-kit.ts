/**
 * What the router's integration tests share: fake llama-server engines serving model "m", the
 * real server in front of them with a model group over them, short deadlines, no periodic
 * probes (a test that wants them turns them on), a fake router clock, and the client-side
 * readings (which backend answered, in how many attempts, what the stream said, what /metrics
 * and /health report).
 */
import type { ModelGroupConfig } from "../../src/config/config-schema";
import type { RouterClock } from "../../src/router/router-clock";
import type { FakeBackendOptions, RecordedRequest } from "../support/fake-backend-server";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion, roleChunk, textChunks } from "../support/fake-openai-chunks";
import type { FakeReply, SseItem } from "../support/fake-reply";
import { createFakeRouterClock } from "../support/fake-router-clock";
import { type ConfigOverrides, type ProxyBackend, type StartedProxy, startProxy } from "../support/start-proxy";
import type { ClientFrame } from "./proxy-test-client";

/** Long enough for a busy 2-core machine, short enough that a timeout test is quick. */
const TEST_TIMEOUTS = { firstByteMs: 400, idleMs: 400, totalMs: 10_000 };

/** Small backoff ceilings (the fake clock records them rather than waiting them out). */
const TEST_RETRY = { maxAttempts: 3, baseMs: 10, maxMs: 40, retryAfterCapMs: 2_000, deadlineMs: 15_000 };

const running: Array<{ stop(): Promise<void> }> = [];

/** Stops every engine and proxy the kit started; call it from afterEach. */
export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((server) => server.stop()));
}

/** A fake llama-server serving model "m"; stopped by stopAll. */
export function startEngine(
  script: Parameters<typeof startFakeOpenAIBackend>[0],
  options: Omit<FakeBackendOptions, "routes"> = {},
): FakeOpenAIBackend {
  const engine = startFakeOpenAIBackend(script, { kind: "llamacpp", model: "m", ...options });
  running.push(engine);
  return engine;
}

/** A good answer, streamed or whole as the request asks, saying `text`. */
export function answer(text: string) {
  return (request: RecordedRequest): FakeReply =>
    (request.body as { stream?: boolean }).stream
      ? openAIStream(llamaServerChunks({ text, usage: { promptTokens: 20, completionTokens: 2 } }))
      : openAIJson(llamaServerCompletion({ text, usage: { promptTokens: 20, completionTokens: 2 } }));
}

/** The given replies to the first requests, then `then` (a good answer) to every later one. */
export function firstThen(replies: FakeReply[], then: (request: RecordedRequest) => FakeReply) {
  return (request: RecordedRequest, index: number): FakeReply => replies[index] ?? then(request);
}

/** A role chunk and some text: message_start and a text block have gone out to the client. */
export function someText(): SseItem[] {
  return [{ data: roleChunk() }, ...textChunks("Hello there", 2).map((data) => ({ data }))];
}

/** A configured backend for `engine` (kind and mode given, so nothing is probed); tier = priority. */
export function backendFor(id: string, url: string, extra: Partial<ProxyBackend> = {}): ProxyBackend {
  return { id, url, kind: "llamacpp", mode: "translate", timeouts: TEST_TIMEOUTS, ...extra };
}

/**
 * The server with group "pair" over the backends (`priority` strategy: the first backend is
 * tier 0 unless the backend says otherwise), every Claude name routed to it, short deadlines,
 * a fake clock unless `clock` is given (SYSTEM_CLOCK where latency must be measured), and a
 * random() that always says 0.5 (backoff = half its ceiling).
 */
export async function startRouter(
  backends: ProxyBackend[],
  overrides: ConfigOverrides & { pair?: Partial<ModelGroupConfig> } = {},
  clock: RouterClock = createFakeRouterClock(),
): Promise<StartedProxy> {
  const { pair, ...config } = overrides;
  const tiered = backends.map((backend, index) => ({ priority: index, ...backend }));
  const group = { strategy: "priority" as const, fallbacks: [], targets: tiered.map((backend) => `${backend.id}/m`), ...pair };
  const proxy = await startProxy(
    {
      models: { default: "pair" },
      retry: TEST_RETRY,
      health: { enabled: false },
      ...config,
      modelGroups: { pair: group, ...config.modelGroups },
    },
    tiered,
    { clock, random: () => 0.5 },
  );
  running.push(proxy);
  return proxy;
}

export function chatRequests(engine: Pick<FakeOpenAIBackend, "requestsTo">): RecordedRequest[] {
  return engine.requestsTo("/v1/chat/completions");
}

/** Who answered and after how many attempts, from the response headers. */
export function routing(response: Response): { backend: string | null; attempts: number } {
  return { backend: response.headers.get("x-anyclaude-backend"), attempts: Number(response.headers.get("x-anyclaude-attempts")) };
}

/** The text the client received in a stream. */
export function streamedText(frames: ClientFrame[]): string {
  return frames
    .map((frame) => frame.data as { type: string; delta?: { type: string; text?: string } })
    .filter((data) => data.type === "content_block_delta" && data.delta?.type === "text_delta")
    .map((data) => data.delta!.text)
    .join("");
}

/** One sample of a Prometheus metric, e.g. `anyclaude_router_retries_total{backend="a"}`; 0 when absent. */
export async function readMetric(proxy: StartedProxy, sample: string): Promise<number> {
  const text = await (await fetch(`${proxy.url}/metrics`)).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

/** The router's state of one backend, as /health reports it. */
export async function readBackendState(proxy: StartedProxy, id: string): Promise<Record<string, unknown>> {
  const body = (await (await fetch(`${proxy.url}/health`)).json()) as { backends: Array<Record<string, unknown>> };
  return body.backends.find((backend) => backend.id === id)!;
}

/** The circuit transitions the server logged, in order, as "backend from→to". */
export function circuitTransitions(proxy: StartedProxy): string[] {
  return proxy.logs.filter((log) => log.msg === "circuit transition").map((log) => `${log.backend} ${log.from}→${log.to}`);
}

/** Polls until `condition` holds; a condition that never does ends as the test's timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await Bun.sleep(5);
}
