/**
 * Reads the golden case folders under test/golden/cases and runs each through the translation
 * layer exactly as the server would: Anthropic request -> backend request, and recorded
 * backend answer -> Anthropic answer. Shared by the golden test and the SDK replay test.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readBackendError } from "../../src/backends/read-backend-error";
import type { ErrorBody } from "../../src/protocol/anthropic/errors";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { type ChatCompletionChunk, checkChatCompletion, checkChatCompletionChunk } from "../../src/protocol/openai/chat-response-schema";
import { formatSseFrame } from "../../src/sse/encode-sse";
import {
  type ConvertRequestOptions,
  convertAnthropicRequestToOpenAIChat,
} from "../../src/translate/convert-anthropic-request-to-openai-chat";
import { convertOpenAIChatCompletionToAnthropic } from "../../src/translate/convert-openai-chat-completion-to-anthropic";
import { type NormalizeOptions, normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { OpenAIChatStreamConverter } from "../../src/translate/openai-chat-stream-converter";
import type { ToolCallHandling } from "../../src/translate/tool-call-gate";
import type { Translated, TranslationWarning } from "../../src/translate/translation-warning";
import { parseSse } from "../support/parse-sse";

const CASES_DIR = join(import.meta.dir, "cases");
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";
/** Fixed so expected files do not change from run to run. */
const GOLDEN_MESSAGE_ID = "msg_golden_000000000000000001";
const GOLDEN_REQUEST_ID = "req_golden_000000000000000001";

export function listGoldenCases(): string[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function caseFile(name: string, file: string): string {
  return join(CASES_DIR, name, file);
}

export function hasCaseFile(name: string, file: string): boolean {
  return existsSync(caseFile(name, file));
}

export function readCaseJson<T = unknown>(name: string, file: string): T {
  return JSON.parse(readFileSync(caseFile(name, file), "utf8")) as T;
}

export function readCaseText(name: string, file: string): string {
  return readFileSync(caseFile(name, file), "utf8");
}

/** In update mode writes `actual` as the expected file and returns it; otherwise returns what the file says. */
export function expectedText(name: string, file: string, actual: string): string {
  if (UPDATE_GOLDEN) writeFileSync(caseFile(name, file), actual);
  return readCaseText(name, file);
}

/**
 * `expected-warnings.json` holds `{ request: [...], response: [...] }`; each direction's test
 * checks (or, in update mode, rewrites) its own half.
 */
export function expectedWarnings(name: string, direction: "request" | "response", actual: string[]): string[] {
  const file = "expected-warnings.json";
  const current = hasCaseFile(name, file) ? readCaseJson<Record<string, string[]>>(name, file) : {};
  if (UPDATE_GOLDEN) {
    const merged = { request: current.request ?? [], response: current.response ?? [], [direction]: actual };
    writeFileSync(caseFile(name, file), toJsonText(merged));
    return actual;
  }
  const expected = current[direction];
  if (!expected) throw new Error(`${name}: ${file} has no "${direction}" list (run with UPDATE_GOLDEN=1 and review)`);
  return expected;
}

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Deterministic `toolu_` + 24 hex ids for calls the engine sent without one. */
function sequentialToolUseIds(): () => string {
  let next = 0;
  return () => `toolu_${(++next).toString(16).padStart(24, "0")}`;
}

/**
 * `options.json`: the conversion options, plus `normalize` for the Claude Code clean-up step and
 * `toolCalls` for the answer's tool-call handling (`singleCall`, `textCalls`).
 */
type CaseOptions = Partial<ConvertRequestOptions> & {
  normalize?: Partial<NormalizeOptions>;
  toolCalls?: Partial<Omit<ToolCallHandling, "tools">>;
};

function readCaseOptions(name: string): CaseOptions {
  return hasCaseFile(name, "options.json") ? readCaseJson<CaseOptions>(name, "options.json") : {};
}

/**
 * The answer's tool calls are handled as the server does: checked against the request's tools,
 * text-form calls recovered; no re-ask (that needs a second answer, which a case does not have).
 */
function caseToolCalls(name: string, request: MessageCreateParams): ToolCallHandling {
  const normalized = normalizeAnthropicRequest(request, { stripBillingHeader: true, systemMessages: "hoist" }).value;
  const options = readCaseOptions(name).toolCalls;
  return { tools: normalized.tools ?? [], textCalls: true, holdInvalid: false, singleCall: false, ...options };
}

/**
 * The request direction as the server runs it: normalize (config defaults: strip the billing
 * header, hoist system messages), then convert. llama-server is the reference engine, so the
 * default thinking style is its `chat_template_kwargs`.
 */
export function convertGoldenRequest(name: string, request: MessageCreateParams) {
  const { normalize, toolCalls: _answerOnly, ...convert } = readCaseOptions(name);
  const normalized = normalizeAnthropicRequest(request, { stripBillingHeader: true, systemMessages: "hoist", ...normalize });
  const converted = convertAnthropicRequestToOpenAIChat(normalized.value, {
    thinkingStyle: "chat_template_kwargs",
    stream: request.stream === true,
    ...convert,
  });
  return { value: converted.value, warnings: [...normalized.warnings, ...converted.warnings] };
}

/** Parses a recorded `data: {...}` transcript and checks every chunk against the runtime schema. */
async function readBackendChunks(name: string): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const { data } of parseSse(Bun.file(caseFile(name, "backend-response.txt")).stream())) {
    if (data === "[DONE]") break;
    const chunk: unknown = JSON.parse(data);
    if (!checkChatCompletionChunk.Check(chunk)) {
      const first = checkChatCompletionChunk.Errors(chunk).First();
      throw new Error(`${name}: chunk fails the schema at ${first?.path}: ${first?.message}\n${data}`);
    }
    chunks.push(chunk);
  }
  return chunks;
}

export async function convertBackendStream(name: string, request: MessageCreateParams): Promise<Translated<MessageStreamEvent[]>> {
  const converter = new OpenAIChatStreamConverter({
    requestModel: request.model,
    messageId: GOLDEN_MESSAGE_ID,
    stopSequences: request.stop_sequences,
    generateToolUseId: sequentialToolUseIds(),
    toolCalls: caseToolCalls(name, request),
  });
  const events: MessageStreamEvent[] = [];
  const warnings: TranslationWarning[] = [];
  for (const chunk of await readBackendChunks(name)) {
    events.push(...converter.push(chunk));
    warnings.push(...converter.drainWarnings());
  }
  events.push(...converter.finish());
  warnings.push(...converter.drainWarnings());
  return { value: events, warnings };
}

export function convertBackendCompletion(name: string, request: MessageCreateParams) {
  const completion: unknown = readCaseJson(name, "backend-response.json");
  if (!checkChatCompletion.Check(completion)) throw new Error(`${name}: backend-response.json fails the schema`);
  return convertOpenAIChatCompletionToAnthropic(completion, {
    requestModel: request.model,
    messageId: GOLDEN_MESSAGE_ID,
    stopSequences: request.stop_sequences,
    generateToolUseId: sequentialToolUseIds(),
    toolCalls: caseToolCalls(name, request),
  });
}

/**
 * `backend-error.json` holds the engine's non-2xx answer as `{ status, body }`; it goes through
 * the same reader the backends use, and comes out as the status and body Claude Code receives.
 */
export async function convertBackendError(name: string): Promise<{ status: number; body: ErrorBody }> {
  const recorded = readCaseJson<{ status: number; body: unknown }>(name, "backend-error.json");
  const text = typeof recorded.body === "string" ? recorded.body : JSON.stringify(recorded.body);
  const response = new Response(text, { status: recorded.status, headers: { "content-type": "application/json" } });
  const error = await readBackendError("golden", response);
  return { status: error.status, body: error.toAnthropicBody(GOLDEN_REQUEST_ID) };
}

export function formatSse(events: readonly MessageStreamEvent[]): string {
  return events.map((event) => formatSseFrame(event)).join("");
}

/** Warnings reduced to what is stable: code and path, not the wording. */
export function summarizeWarnings(warnings: readonly TranslationWarning[]): string[] {
  return warnings.map((warning) => `${warning.code} @ ${warning.path}`);
}
