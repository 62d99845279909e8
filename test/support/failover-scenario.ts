/**
 * Zero-config failover as a user meets it, shared by the in-process, `serve` and compiled-binary
 * tests: two engines serving the same model behind anyclaude with no model group, many
 * concurrent requests (streamed and not), the primary killed mid-run, then started again.
 * Engines answer in one write after a pause, so the kill finds each request either before its
 * first byte (anyclaude's to save) or answered, never half-way; the pauses differ, so some
 * requests are answered and others still waiting when it comes.
 */
import type { RecordedRequest } from "./fake-backend-server";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "./fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "./fake-openai-chunks";
import { formatSseItem } from "./fake-reply";

/** Prompt evaluation before the first byte (the window in which the kill catches requests): 40-250 ms. */
const thinkMs = (index: number) => 40 + (index % 8) * 30;
export const FAILOVER_MODEL = "shared-model";

/**
 * A llama-server serving FAILOVER_MODEL that answers `text` after a pause, streamed or as JSON
 * as asked, in one write.
 *
 * @example
 * const primary = startPatientEngine("from a");
 */
export function startPatientEngine(text: string, port?: number): FakeOpenAIBackend {
  const usage = { promptTokens: 20, completionTokens: 2 };
  const stream = [...llamaServerChunks({ text, usage }).map((data) => formatSseItem({ data })), "data: [DONE]\n\n"].join("");
  return startFakeOpenAIBackend(
    async (request: RecordedRequest, index: number) => {
      if ((request.body as { stream?: boolean }).stream) return { type: "sse", items: [{ pauseMs: thinkMs(index) }, stream] };
      await Bun.sleep(thinkMs(index));
      return openAIJson(llamaServerCompletion({ text, usage }));
    },
    { kind: "llamacpp", model: FAILOVER_MODEL, port },
  );
}

/** What one client request got back. */
export interface FailoverOutcome {
  status: number;
  stream: boolean;
  /** `x-anyclaude-backend` and `x-anyclaude-attempts`. */
  backend: string | null;
  attempts: number;
  text: string;
  /** Event names of a stream, in order; empty for JSON. */
  events: string[];
}

/**
 * Each request asks something new, so none is answered from the response cache.
 *
 * @example
 * const outcome = await sendMessage(proxyUrl, true);
 */
export async function sendMessage(baseUrl: string, stream: boolean, model = "claude-sonnet-5-5"): Promise<FailoverOutcome> {
  const content = `Say hi (${crypto.randomUUID()}).`;
  const response = await fetch(`${baseUrl}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model, max_tokens: 64, stream, messages: [{ role: "user", content }] }),
  });
  const outcome = {
    status: response.status,
    stream,
    backend: response.headers.get("x-anyclaude-backend"),
    attempts: Number(response.headers.get("x-anyclaude-attempts")),
  };
  const body = await response.text();
  if (response.status !== 200) return { ...outcome, text: body, events: [] };
  if (!stream) {
    const message = JSON.parse(body) as { content: Array<{ type: string; text?: string }> };
    return { ...outcome, text: message.content.map((block) => block.text ?? "").join(""), events: [] };
  }
  const frames = body
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => ({ event: /^event: (.*)$/m.exec(frame)?.[1] ?? "", data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) }));
  const text = frames
    .filter((frame) => frame.data.type === "content_block_delta" && frame.data.delta?.type === "text_delta")
    .map((frame) => frame.data.delta.text as string)
    .join("");
  return { ...outcome, text, events: frames.map((frame) => frame.event) };
}

/**
 * Sends `count` requests at once (every other one streamed), stops `primary` once a fifth of
 * them reached it and one was answered, and returns what every client got.
 *
 * @example
 * const outcomes = await sendAndKillPrimary(proxy.url, primary, 200);
 */
export async function sendAndKillPrimary(baseUrl: string, primary: FakeOpenAIBackend, count: number): Promise<FailoverOutcome[]> {
  let answered = 0;
  const outcomes = Array.from({ length: count }, (_, index) =>
    sendMessage(baseUrl, index % 2 === 0).then((outcome) => {
      if (outcome.status === 200) answered++;
      return outcome;
    }),
  );
  while (primary.requestsTo("/v1/chat/completions").length < count / 5 || answered === 0) await Bun.sleep(5);
  await primary.stop();
  return Promise.all(outcomes);
}

/**
 * Posts one request after another (each must succeed) until `backendId` answers one; `between`
 * runs before each (a clock to step). A backend that never takes traffic again ends as the test's timeout.
 *
 * @example
 * const polled = await pollUntilAnsweredBy(proxy.url, "a", () => clock.advance(1_000));
 */
export async function pollUntilAnsweredBy(baseUrl: string, backendId: string, between: () => void = () => undefined) {
  const polled: FailoverOutcome[] = [];
  for (;;) {
    between();
    const outcome = await sendMessage(baseUrl, polled.length % 2 === 0);
    polled.push(outcome);
    if (outcome.status !== 200 || outcome.backend === backendId) return polled;
    await Bun.sleep(20);
  }
}

/** Every outcome as a short line, for one readable expectation over all of them. */
export function summarizeOutcome(outcome: FailoverOutcome): string {
  const ending = outcome.stream ? (outcome.events.at(-1) ?? "no events") : "json";
  const errors = outcome.events.filter((event) => event === "error").length;
  return `${outcome.status} ${ending} errors=${errors} text=${outcome.text}`;
}
