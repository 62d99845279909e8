/**
 * Exact token counts from the engine's own tokenizer and chat template, where the engine can
 * count: llama-server (`/v1/chat/completions/input_tokens`, or `/apply-template` + `/tokenize`
 * on older builds) and vLLM (`/tokenize` with messages). Other engines get anyclaude's
 * documented estimate, flagged `exact: false`. A failure is an error, never a 0: Claude Code
 * treats 0 as "no tokens" and stops estimating on its own.
 */
import { BackendHttpError, BackendProtocolError } from "../errors/proxy-error";
import type { CountTokensParams } from "../protocol/anthropic/messages";
import type { ChatCompletionRequest } from "../protocol/openai/chat-request";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import type { CallOptions, TokenCount } from "./backend";
import type { BackendSettings } from "./backend-settings";
import { requestBackendJson } from "./request-backend-json";

export async function countTokensWithEngine(
  settings: BackendSettings,
  chat: ChatCompletionRequest,
  request: CountTokensParams,
  options: Pick<CallOptions, "signal" | "memo">,
): Promise<TokenCount> {
  const { stream: _stream, stream_options: _options, ...body } = chat;
  if (settings.kind === "llamacpp") return countWithLlamaServer(settings, body, options);
  if (settings.kind === "vllm") {
    const result = await postJson(
      settings,
      "/tokenize",
      { model: body.model, messages: body.messages, tools: body.tools, add_generation_prompt: true },
      options,
    );
    return { input_tokens: readCount(settings.id, result, "count"), exact: true };
  }
  return { input_tokens: estimateInputTokens(request, options.memo), exact: false };
}

async function countWithLlamaServer(
  settings: BackendSettings,
  body: Omit<ChatCompletionRequest, "stream">,
  options: Pick<CallOptions, "signal" | "memo">,
): Promise<TokenCount> {
  try {
    const result = await postJson(settings, "/v1/chat/completions/input_tokens", body, options);
    return { input_tokens: readCount(settings.id, result, "input_tokens"), exact: true };
  } catch (error) {
    // Builds before the input_tokens endpoint answer 404: render the template and tokenize instead.
    if (!(error instanceof BackendHttpError && error.backendStatus === 404)) throw error;
  }
  const rendered = await postJson(settings, "/apply-template", body, options);
  const prompt = (rendered as { prompt?: unknown }).prompt;
  if (typeof prompt !== "string") throw new BackendProtocolError(settings.id, "/apply-template answered without a prompt");
  const tokenized = await postJson(settings, "/tokenize", { content: prompt, add_special: true, parse_special: true }, options);
  const tokens = (tokenized as { tokens?: unknown }).tokens;
  if (!Array.isArray(tokens)) throw new BackendProtocolError(settings.id, "/tokenize answered without tokens");
  return { input_tokens: tokens.length, exact: true };
}

function postJson(settings: BackendSettings, path: string, body: object, options: Pick<CallOptions, "signal" | "memo">): Promise<unknown> {
  return requestBackendJson(settings, path, { body, signal: options.signal, memo: options.memo });
}

function readCount(backendId: string, value: unknown, field: string): number {
  const count = (value as Record<string, unknown> | null)?.[field];
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new BackendProtocolError(backendId, `token count missing: expected integer field "${field}"`);
  }
  return count;
}
