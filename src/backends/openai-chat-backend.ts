/**
 * Translate mode: Anthropic Messages in, OpenAI `/v1/chat/completions` to the engine, Anthropic
 * messages and event streams back. All conversion is delegated to the pure functions in
 * src/translate; this file only moves bytes and enforces deadlines.
 */
import { BackendProtocolError } from "../errors/proxy-error";
import type { CountTokensParams, Message, MessageCreateParams } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { checkChatCompletion, checkChatCompletionChunk } from "../protocol/openai/chat-response-schema";
import { convertAnthropicRequestToOpenAIChat } from "../translate/convert-anthropic-request-to-openai-chat";
import { convertOpenAIChatCompletionToAnthropic } from "../translate/convert-openai-chat-completion-to-anthropic";
import { OpenAIChatStreamConverter } from "../translate/openai-chat-stream-converter";
import type { ToolCallHandling } from "../translate/tool-call-gate";
import type { Backend, CallOptions, MessageStream, TokenCount } from "./backend";
import { countTokensWithEngine } from "./count-tokens-with-engine";
import { HttpBackend } from "./http-backend";
import { parseBackendJson } from "./parse-backend-json";
import { convertInStreamError } from "./read-backend-error";
import { readBackendEvents } from "./read-backend-events";
import { resolveToolSettings, type ToolSettings } from "./resolve-tool-settings";

export class OpenAIChatBackend extends HttpBackend implements Backend {
  readonly mode = "translate" as const;

  async createMessage(request: MessageCreateParams, options: CallOptions): Promise<Message> {
    const body = this.buildChatRequest(request, false, options);
    const started = await this.post("/v1/chat/completions", body, options.signal);
    const completion = parseBackendJson(this.id, await started.readText());
    if (!checkChatCompletion.Check(completion)) {
      if (isErrorObject(completion)) throw convertInStreamError(this.id, completion.error);
      throw new BackendProtocolError(this.id, describeFirstError(checkChatCompletion, completion));
    }
    const { value, warnings } = convertOpenAIChatCompletionToAnthropic(completion, {
      requestModel: options.clientModel,
      messageId: options.messageId,
      stopSequences: request.stop_sequences,
      toolCalls: this.toolHandling(request, options),
    });
    warnings.forEach(options.onWarning);
    return value;
  }

  async streamMessage(request: MessageCreateParams, options: CallOptions): Promise<MessageStream> {
    const body = this.buildChatRequest(request, true, options);
    const started = await this.post("/v1/chat/completions", body, options.signal);
    const converter = new OpenAIChatStreamConverter({
      requestModel: options.clientModel,
      messageId: options.messageId,
      stopSequences: request.stop_sequences,
      // message_start must carry input tokens before the engine reports usage at the very end.
      inputTokensEstimate: options.inputTokensEstimate,
      toolCalls: this.toolHandling(request, options),
    });
    const backendId = this.id;
    const timeouts = this.settings.timeouts;
    async function* events(): AsyncGenerator<MessageStreamEvent[]> {
      let complete = false;
      // The events of the chunk that brought [DONE]: they go out together with the end of the answer.
      let last: MessageStreamEvent[] = [];
      for await (const frames of readBackendEvents(backendId, started, timeouts)) {
        const batch: MessageStreamEvent[] = [];
        let done = false;
        try {
          for (const frame of frames) {
            if (frame.data === "[DONE]") {
              done = complete = true;
              break;
            }
            const chunk = parseBackendJson(backendId, frame.data, "stream chunk");
            if (isErrorObject(chunk)) throw convertInStreamError(backendId, chunk.error);
            if (!checkChatCompletionChunk.Check(chunk)) {
              throw new BackendProtocolError(backendId, describeFirstError(checkChatCompletionChunk, chunk));
            }
            if (chunk.choices.some((choice) => choice.finish_reason)) complete = true;
            batch.push(...converter.push(chunk));
            converter.drainWarnings().forEach(options.onWarning);
          }
        } catch (error) {
          // What the chunk brought before the failure still reaches the client, then the error frame.
          if (batch.length > 0) yield batch;
          throw error;
        }
        if (done) {
          last = batch;
          break;
        }
        if (batch.length > 0) yield batch;
      }
      // A body that closes cleanly but early (engine killed, proxy in between) must not pass for a whole answer.
      if (!complete) throw new BackendProtocolError(backendId, "the stream ended before the answer did (no finish_reason, no [DONE])");
      last.push(...converter.finish());
      converter.drainWarnings().forEach(options.onWarning);
      if (last.length > 0) yield last;
    }
    return { events: events() };
  }

  async countTokens(request: CountTokensParams, options: CallOptions): Promise<TokenCount> {
    const asMessage: MessageCreateParams = { ...request, max_tokens: 1 };
    const chat = this.buildChatRequest(asMessage, false, options);
    return countTokensWithEngine(this.settings, chat, request, options.signal);
  }

  private toolHandling(request: MessageCreateParams, options: CallOptions): ToolCallHandling {
    return toolHandlingFor(request, resolveToolSettings(options.tools, this.id, request.model));
  }

  private buildChatRequest(request: MessageCreateParams, stream: boolean, options: CallOptions) {
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(request, {
      thinkingStyle: this.settings.thinkingStyle,
      stream,
    });
    warnings.forEach(options.onWarning);
    if (value.tools && resolveToolSettings(options.tools, this.id, request.model).singleCall) value.parallel_tool_calls = false;
    // llama-server keeps the prompt in the slot's KV cache only when asked (default differs by version).
    if (this.settings.kind === "llamacpp") {
      value.cache_prompt = true;
      if (options.slot !== undefined) value.id_slot = options.slot;
    }
    return value;
  }
}

/** How the answer's tool calls are checked, against the tools this request declared. */
function toolHandlingFor(request: MessageCreateParams, settings: ToolSettings): ToolCallHandling {
  return { tools: request.tools ?? [], textCalls: settings.textCalls, holdInvalid: false, singleCall: settings.singleCall };
}

function isErrorObject(value: unknown): value is { error: unknown } {
  return typeof value === "object" && value !== null && "error" in value && !("choices" in value);
}

function describeFirstError(check: typeof checkChatCompletion | typeof checkChatCompletionChunk, value: unknown): string {
  const first = check.Errors(value).First();
  return first ? `${first.path || "/"}: ${first.message}` : "unexpected shape";
}
