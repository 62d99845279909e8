/**
 * Converts a normalized Anthropic Messages request to the OpenAI chat-completions request a
 * translate-mode backend receives. Each part of the request has its own converter; this file
 * maps the sampling fields and collects every warning.
 */

import type { ThinkingStyle } from "../config/config-choices";
import { type ConversationMemo, reuse } from "../json/conversation-memo";
import type { MessageCreateParams, OutputConfigParam } from "../protocol/anthropic/messages";
import type { ChatCompletionRequest, ChatResponseFormat } from "../protocol/openai/chat-request";
import { adaptToolSchema } from "./adapt-tool-schema";
import { convertAnthropicMessagesToOpenAI } from "./convert-anthropic-messages-to-openai";
import { convertAnthropicThinkingToOpenAI } from "./convert-anthropic-thinking-to-openai";
import { convertAnthropicToolChoiceToOpenAI } from "./convert-anthropic-tool-choice-to-openai";
import { convertAnthropicToolsToOpenAI } from "./convert-anthropic-tools-to-openai";
import type { Translated, TranslationWarning } from "./translation-warning";

export interface ConvertRequestOptions {
  thinkingStyle: ThinkingStyle;
  /** Whether to ask the backend for a stream; decided by the caller, not by `request.stream`. */
  stream: boolean;
  /** Where the conversions of resent parts (tools, system prompt, earlier messages) are remembered; none: all converted afresh. */
  memo?: ConversationMemo;
}

/** Request fields this conversion reads; any other field present is reported as dropped. */
const CONVERTED_FIELDS: ReadonlySet<string> = new Set([
  "model",
  "max_tokens",
  "messages",
  "system",
  "tools",
  "tool_choice",
  "thinking",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "stream",
  "output_config",
]);

/**
 * `stop_sequences` → `stop`; `temperature`, `top_p`, `top_k` and `max_tokens` pass unchanged
 * (nothing is clamped); a stream asks for `stream_options.include_usage` so the last chunk
 * carries token counts; `output_config.format` (json_schema) → `response_format`.
 * `cache_control` anywhere is ignored: chat completions have no equivalent, and llama-server
 * and vLLM cache prompt prefixes on their own. Everything else the backend cannot honour
 * comes back as a warning. The output's key order is fixed, so equal input gives equal JSON.
 *
 * @example
 * convertAnthropicRequestToOpenAIChat(
 *   { model: "qwen3", max_tokens: 512, stop_sequences: ["END"], messages: [{ role: "user", content: "hi" }] },
 *   { thinkingStyle: "chat_template_kwargs", stream: true },
 * );
 * // => { value: { model: "qwen3", messages: [{ role: "user", content: "hi" }], max_tokens: 512, stream: true,
 * //      stream_options: { include_usage: true }, stop: ["END"] }, warnings: [] }
 */
export function convertAnthropicRequestToOpenAIChat(
  request: MessageCreateParams,
  options: ConvertRequestOptions,
): Translated<ChatCompletionRequest> {
  const messages = convertAnthropicMessagesToOpenAI(request.system, request.messages, options.memo);
  const tools = reuse(options.memo, convertAnthropicToolsToOpenAI, request.tools ?? []);
  const toolChoice = convertAnthropicToolChoiceToOpenAI(request.tool_choice, tools.value.length > 0);
  const thinking = convertAnthropicThinkingToOpenAI(request.thinking, request.output_config?.effort, options.thinkingStyle);
  const warnings: TranslationWarning[] = [...messages.warnings, ...tools.warnings, ...toolChoice.warnings, ...thinking.warnings];
  const responseFormat = convertOutputFormat(request.output_config, warnings);

  const chat: ChatCompletionRequest = { model: request.model, messages: messages.value };
  if (typeof request.max_tokens === "number") chat.max_tokens = request.max_tokens;
  chat.stream = options.stream;
  if (options.stream) chat.stream_options = { include_usage: true };
  if (typeof request.temperature === "number") chat.temperature = request.temperature;
  if (typeof request.top_p === "number") chat.top_p = request.top_p;
  if (typeof request.top_k === "number") chat.top_k = request.top_k;
  if (Array.isArray(request.stop_sequences) && request.stop_sequences.length > 0) chat.stop = [...request.stop_sequences];
  if (tools.value.length > 0) chat.tools = tools.value;
  Object.assign(chat, toolChoice.value);
  if (responseFormat !== undefined) chat.response_format = responseFormat;
  Object.assign(chat, thinking.value);

  for (const [field, value] of Object.entries(request)) {
    if (CONVERTED_FIELDS.has(field) || value === undefined || value === null) continue;
    warnings.push(dropped(field, "it has no chat-completions equivalent"));
  }
  return { value: chat, warnings };
}

/** `output_config.format` → `response_format`; `effort` belongs to the thinking conversion. */
function convertOutputFormat(config: OutputConfigParam | undefined | null, warnings: TranslationWarning[]): ChatResponseFormat | undefined {
  if (config === undefined || config === null) return undefined;
  for (const [key, value] of Object.entries(config)) {
    if (key !== "effort" && key !== "format" && value !== undefined && value !== null) {
      warnings.push(dropped(`output_config.${key}`, "it has no chat-completions equivalent"));
    }
  }
  const format = config.format;
  if (format === undefined || format === null) return undefined;
  if (format.type !== "json_schema" || typeof format.schema !== "object" || format.schema === null) {
    warnings.push(dropped("output_config.format", `output format "${String(format.type)}" is not a JSON schema`));
    return undefined;
  }
  return { type: "json_schema", json_schema: { name: "output", schema: adaptToolSchema(format.schema), strict: true } };
}

function dropped(path: string, reason: string): TranslationWarning {
  return { code: "dropped-field", path, message: `Dropped \`${path}\`: ${reason}.` };
}
