/**
 * Measures how much of each Claude Code request llama-server re-evaluates when requests of two
 * sessions and their side calls share one engine, sent through anyclaude in the order a user
 * would cause them. Claude Code 2.1.332 keeps its billing-header line for every request of one
 * session and changes it between sessions and between a session's main and side requests, so
 * that is where stripping the line can matter; the prompt work is read from llama-server's own
 * counters (read-llama-server-metrics.ts). Shared by test/engines/kv-reuse.test.ts and
 * bench/kv-reuse.ts.
 */
import type { PromptTier } from "../../src/config/prompt-config-schema";
import type { MessageCreateParams, TextBlockParam } from "../../src/protocol/anthropic/messages";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { parseSse } from "../support/parse-sse";
import { startProxy } from "../support/start-proxy";
import { measurePromptWork, type PromptWork } from "./read-llama-server-metrics";

export type KvReuseMode = "translate" | "native";

export type KvReuseStep =
  | "session 1, turn 1"
  | "side call: title"
  | "session 2, turn 1"
  | "session 2 side call: title"
  | "session 2, turn 2";

export interface MeasuredStep {
  step: KvReuseStep;
  work: PromptWork;
  /** From sending the request to the end of the streamed answer, as the client sees it. */
  wallMs: number;
}

export interface MeasureKvReuseOptions {
  llamaServerUrl: string;
  mode: KvReuseMode;
  stripBillingHeader: boolean;
  /** The prompt-slimming tier anyclaude applies (off unless given). */
  promptTier?: PromptTier;
}

/**
 * Replays readClaudeCodeSessions() in order through a fresh anyclaude (response cache off, so
 * every request reaches the engine). Start the engine fresh too: what it holds counts.
 *
 * @example
 * const steps = await measureKvReuse({ llamaServerUrl: engine.url, mode: "translate", stripBillingHeader: true });
 * steps.find((s) => s.step === "session 2, turn 1")!.work.evaluatedShare; // small: session 1's prefix was reused
 */
export async function measureKvReuse(options: MeasureKvReuseOptions): Promise<MeasuredStep[]> {
  const proxy = await startProxy(
    {
      claudeCode: { stripBillingHeader: options.stripBillingHeader },
      prompt: { tier: options.promptTier ?? "off" },
      cache: { enabled: false },
    },
    [{ url: options.llamaServerUrl, kind: "llamacpp", mode: options.mode }],
  );
  try {
    const measured: MeasuredStep[] = [];
    for (const { step, request } of readClaudeCodeSessions()) {
      measured.push({ step, ...(await sendRequest(proxy.url, options.llamaServerUrl, request)) });
    }
    return measured;
  } finally {
    await proxy.stop();
  }
}

/**
 * Two `claude -p` runs and side calls, in the order they reach an engine that serves them all.
 * Recorded as sent: session 1's only request (`say hi`, header `.0b8`), the session-title side
 * request (header `.4e9`; from an interactive session, as `-p` sends none) and session 2's second
 * request (`echo hello`, after its Bash call, header `.132`). Derived from those: session 2's
 * first request (its second without the last exchange, the environment note as turn 1 sends
 * it) and session 2's title request (the recorded one for session 2's prompt, with a header of
 * its own, as a new session's side requests carry).
 *
 * @example
 * readClaudeCodeSessions().map((s) => s.step); // ["session 1, turn 1", "side call: title", …]
 */
export function readClaudeCodeSessions(): Array<{ step: KvReuseStep; request: MessageCreateParams }> {
  const { turn1, turn2 } = readClaudeCodeSession();
  const title = readRecordedBody("cc-2.1.332_interactive-title_structured-output");
  return [
    { step: "session 1, turn 1", request: readRecordedBody("cc-2.1.332_p-say-hi_stream") },
    { step: "side call: title", request: title },
    { step: "session 2, turn 1", request: turn1 },
    { step: "session 2 side call: title", request: retitle(changeBillingHeader(title, "2.1.332.5d7"), readUserPrompt(turn1)) },
    { step: "session 2, turn 2", request: turn2 },
  ];
}

/** The first two requests of the recorded `echo hello` run: same header, turn 2 extends turn 1. */
export function readClaudeCodeSession(): { turn1: MessageCreateParams; turn2: MessageCreateParams } {
  const turn2 = readRecordedBody("cc-2.1.332_p-bash-tool-result_followup");
  const opening = turn2.messages.slice(0, -2);
  const note = opening.at(-1)!;
  if (note.role !== "system" || typeof note.content !== "string")
    throw new Error("the recorded turn 2 no longer ends its opening with the environment note");
  // Turn 1 sends the note as a text block carrying the cache breakpoint, as the recorded `say hi` request does.
  const block: TextBlockParam = { type: "text", text: note.content, cache_control: { type: "ephemeral" } };
  return { turn1: { ...turn2, messages: [...opening.slice(0, -1), { ...note, content: [block] }] }, turn2 };
}

/**
 * The request with its billing-header line naming another `cc_version`; nothing else changes.
 *
 * @example
 * changeBillingHeader(body, "2.1.332.132").system[0].text
 * // "x-anthropic-billing-header: cc_version=2.1.332.132; cc_entrypoint=sdk-cli;"
 */
function changeBillingHeader(request: MessageCreateParams, ccVersion: string): MessageCreateParams {
  const system = request.system;
  if (!Array.isArray(system) || !system[0]?.text.startsWith("x-anthropic-billing-header:")) {
    throw new Error("the request's first system block is not a billing header");
  }
  const header: TextBlockParam = { ...system[0], text: system[0].text.replace(/cc_version=[^;]*;/, `cc_version=${ccVersion};`) };
  if (header.text === system[0].text) throw new Error("the billing header has no cc_version to change");
  return { ...request, system: [header, ...system.slice(1)] };
}

function readRecordedBody(name: string): MessageCreateParams {
  const recorded = readClaudeCodeRequests().find((request) => request.name === name);
  if (!recorded) throw new Error(`no recorded Claude Code request ${name}`);
  return recorded.body;
}

/** The user's own words: the last text block of the first user message (the ones before are reminders). */
function readUserPrompt(request: MessageCreateParams): string {
  const content = request.messages[0]?.content;
  const text = Array.isArray(content) ? content.findLast((block) => block.type === "text") : undefined;
  if (text?.type !== "text") throw new Error("the request's first message has no text");
  return text.text;
}

const QUOTED_SESSION = /<session>\n.*?\n<\/session>/s;

/** The title request for a session that began with `prompt`. */
function retitle(request: MessageCreateParams, prompt: string): MessageCreateParams {
  const [message] = request.messages;
  const block = Array.isArray(message?.content) ? message.content[0] : undefined;
  if (block?.type !== "text" || !QUOTED_SESSION.test(block.text)) throw new Error("the title request no longer quotes the session");
  const text = block.text.replace(QUOTED_SESSION, `<session>\n${prompt}\n</session>`);
  return { ...request, messages: [{ ...message!, content: [{ ...block, text }] }] };
}

async function sendRequest(proxyUrl: string, llamaServerUrl: string, request: MessageCreateParams): Promise<Omit<MeasuredStep, "step">> {
  const { result: wallMs, work } = await measurePromptWork(llamaServerUrl, async () => {
    const started = performance.now();
    const response = await fetch(`${proxyUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    if (response.status !== 200) throw new Error(`anyclaude answered ${response.status}: ${await response.text()}`);
    let last: string | undefined;
    for await (const frame of parseSse(response.body!)) {
      if (frame.event === "error") throw new Error(`the stream failed: ${frame.data}`);
      last = frame.event;
    }
    if (last !== "message_stop") throw new Error(`the stream ended with ${last ?? "nothing"}, not message_stop`);
    return performance.now() - started;
  });
  return { work, wallMs };
}
