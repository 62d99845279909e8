/**
 * The request pairs the overhead benchmark sends: an Anthropic request to anyclaude, and the
 * OpenAI request anyclaude makes of it, byte for byte, to send to the backend directly. The
 * OpenAI side is not rebuilt here: it is read back from the backend after one proxied call, so
 * "direct" is exactly the backend's share of a proxied request.
 *
 * The 49 KB proxied request comes in turns: each differs from the others in its user text, as
 * every real turn of a conversation brings something new, while tools, system prompt and the
 * environment note stay byte-identical, as Claude Code resends them. anyclaude remembers what a
 * client resends (see ReusingJsonParser); the variants make sure that the new part of each
 * request is measured as new, and never served from what an earlier request left behind.
 */
import { join } from "node:path";

export type BodyName = "49KB" | "small";
export type AnswerMode = "json" | "stream";

export interface BenchRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** When present, requests cycle through these bodies instead of sending `body` (see above). */
  variants?: string[];
}

/** Distinct turns of the 49 KB request; more than the proxy keeps of the same opening text (8). */
const TURN_VARIANTS = 256;

export interface RequestPair {
  direct: BenchRequest;
  proxied: BenchRequest;
}

const FIXTURES = join(import.meta.dir, "../test/fixtures/claude-code-2.1.332");
const CLAUDE_CODE_REQUEST = join(FIXTURES, "cc-2.1.332_p-say-hi_stream.body.json");
const CLAUDE_CODE_HEADERS = join(FIXTURES, "cc-2.1.332_p-say-hi_stream.capture.json");
/** Set by the HTTP client itself; copying the recorded ones would lie about the body. */
const CLIENT_OWNED_HEADERS = new Set(["host", "content-length", "connection"]);

/**
 * @example
 * const pair = await prepareRequestPair("49KB", "stream", { proxyUrl, backendUrl });
 * await fetch(pair.proxied.url, { method: "POST", headers: pair.proxied.headers, body: pair.proxied.body });
 */
export async function prepareRequestPair(
  name: BodyName,
  mode: AnswerMode,
  servers: { proxyUrl: string; backendUrl: string },
  /** False for the floor forwarders, which relay the backend's OpenAI answer untranslated. */
  expectAnthropicAnswer = true,
): Promise<RequestPair> {
  const body = await buildAnthropicBody(name, mode);
  const proxied: BenchRequest = {
    url: `${servers.proxyUrl}/v1/messages?beta=true`,
    headers: await readClaudeCodeHeaders(),
    body,
    variants: name === "49KB" ? buildTurns(body) : undefined,
  };
  const response = await fetch(proxied.url, { method: "POST", headers: proxied.headers, body: proxied.body });
  const answer = await response.text();
  const complete = expectAnthropicAnswer
    ? answer.includes(mode === "stream" ? "event: message_stop" : '"stop_reason":"end_turn"')
    : answer.includes(mode === "stream" ? "data: [DONE]" : '"finish_reason":"stop"');
  if (response.status !== 200 || !complete) {
    throw new Error(`the proxy answered ${response.status} to the ${name} ${mode} request: ${answer.slice(0, 500)}`);
  }
  const lastBody = await fetch(`${servers.backendUrl}/bench/last-body`);
  const direct: BenchRequest = {
    url: `${servers.backendUrl}/v1/chat/completions`,
    headers: { "content-type": "application/json" },
    body: await lastBody.text(),
  };
  return { direct, proxied };
}

async function buildAnthropicBody(name: BodyName, mode: AnswerMode): Promise<string> {
  const stream = mode === "stream";
  if (name === "small") {
    return JSON.stringify({ model: "claude-opus-5-5", max_tokens: 1024, messages: [{ role: "user", content: "say hi" }], stream });
  }
  const recorded = await Bun.file(CLAUDE_CODE_REQUEST).text();
  // Claude Code always streams; its JSON retry differs only in this field (and max_tokens).
  return stream ? recorded : JSON.stringify({ ...JSON.parse(recorded), stream: false });
}

/** The request with a turn number appended to its last user text, the same length for every turn. */
function buildTurns(body: string): string[] {
  const request = JSON.parse(body) as { messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }> };
  const user = request.messages.find((message) => message.role === "user")!;
  const block = user.content.findLast((part) => part.type === "text")!;
  const text = block.text!;
  return Array.from({ length: TURN_VARIANTS }, (_, turn) => {
    block.text = `${text} (turn ${String(turn).padStart(4, "0")})`;
    return JSON.stringify(request);
  });
}

async function readClaudeCodeHeaders(): Promise<Record<string, string>> {
  const capture = (await Bun.file(CLAUDE_CODE_HEADERS).json()) as { headers: Record<string, string> };
  return Object.fromEntries(Object.entries(capture.headers).filter(([key]) => !CLIENT_OWNED_HEADERS.has(key)));
}
