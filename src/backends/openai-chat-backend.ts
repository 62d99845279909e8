/**
 * Translate mode: Anthropic Messages in, OpenAI `/v1/chat/completions` to the engine, Anthropic
 * messages and event streams back. All conversion is delegated to the pure functions in
 * src/translate; this file moves bytes, enforces deadlines, and makes the one re-ask for a tool
 * call that failed its schema (docs/decisions/0021-tool-call-checks.md).
 */
import { BackendProtocolError } from "../errors/proxy-error";
import type { CountTokensParams, Message, MessageCreateParams } from "../protocol/anthropic/messages";
import { checkChatCompletion } from "../protocol/openai/chat-response-schema";
import { buildReaskRequest } from "../tool-calls/build-reask-request";
import { describeToolsInPrompt } from "../tool-calls/describe-tools-in-prompt";
import { convertAnthropicRequestToOpenAIChat } from "../translate/convert-anthropic-request-to-openai-chat";
import { convertOpenAIChatCompletionToAnthropic } from "../translate/convert-openai-chat-completion-to-anthropic";
import { isFunctionTool } from "../translate/is-function-tool";
import { OpenAIChatStreamConverter } from "../translate/openai-chat-stream-converter";
import type { ToolCallHandling } from "../translate/tool-call-gate";
import type { Backend, CallOptions, MessageStream, TokenCount } from "./backend";
import { completeWithReask, type HeldToolCalls } from "./complete-with-reask";
import { countTokensWithEngine } from "./count-tokens-with-engine";
import { HttpBackend } from "./http-backend";
import { parseBackendJson } from "./parse-backend-json";
import { convertInStreamError } from "./read-backend-error";
import { isErrorObject, readChatCompletionStream } from "./read-chat-completion-stream";
import { resolveToolSettings } from "./resolve-tool-settings";
import { streamWithReask } from "./stream-with-reask";
import { type ToolCalling, ToolCallingByModel } from "./tool-calling-by-model";

export class OpenAIChatBackend extends HttpBackend implements Backend {
  readonly mode = "translate" as const;
  private readonly toolCalling = new ToolCallingByModel(this.settings);

  async createMessage(request: MessageCreateParams, options: CallOptions): Promise<Message> {
    const handling = this.toolHandling(request, options);
    const calling = await this.resolveToolCalling(request, options);
    const first = await this.completeChat(request, options, handling, calling);
    const reask = async (held: HeldToolCalls) =>
      (await this.completeChat(buildReaskRequest(request, held), options, { ...handling, holdInvalid: false }, calling, true)).value;
    return completeWithReask(first.value, first.invalid, reask, options);
  }

  async streamMessage(request: MessageCreateParams, options: CallOptions): Promise<MessageStream> {
    const handling = this.toolHandling(request, options);
    const calling = await this.resolveToolCalling(request, options);
    const started = await this.post("/v1/chat/completions", this.buildChatRequest(request, true, options, calling), options);
    const converter = new OpenAIChatStreamConverter({
      requestModel: options.clientModel,
      messageId: options.messageId,
      stopSequences: request.stop_sequences,
      // message_start must carry input tokens before the engine reports usage at the very end.
      inputTokensEstimate: options.inputTokensEstimate,
      toolCalls: handling,
    });
    // The re-ask's request warnings are the first request's again: not reported twice.
    const quiet = { ...options, onWarning: () => {} };
    const reask = async (held: HeldToolCalls) => {
      const again = await this.post(
        "/v1/chat/completions",
        this.buildChatRequest(buildReaskRequest(request, held), true, quiet, calling),
        options,
      );
      return readChatCompletionStream(this.settings, again, converter, options.onWarning);
    };
    const first = readChatCompletionStream(this.settings, started, converter, options.onWarning);
    return { events: streamWithReask(converter, first, reask, options) };
  }

  async countTokens(request: CountTokensParams, options: CallOptions): Promise<TokenCount> {
    const asMessage: MessageCreateParams = { ...request, max_tokens: 1 };
    const chat = this.buildChatRequest(asMessage, false, options, await this.resolveToolCalling(asMessage, options));
    return countTokensWithEngine(this.settings, chat, request, options);
  }

  /** `reask`: the request's warnings were reported with the first answer already. */
  private async completeChat(
    request: MessageCreateParams,
    options: CallOptions,
    handling: ToolCallHandling,
    calling: ToolCalling,
    reask = false,
  ) {
    const body = this.buildChatRequest(request, false, reask ? { ...options, onWarning: () => {} } : options, calling);
    const started = await this.post("/v1/chat/completions", body, options);
    const completion = parseBackendJson(this.id, await started.readText());
    if (!checkChatCompletion.Check(completion)) {
      if (isErrorObject(completion)) throw convertInStreamError(this.id, completion.error);
      const first = checkChatCompletion.Errors(completion).First();
      throw new BackendProtocolError(this.id, first ? `${first.path || "/"}: ${first.message}` : "unexpected shape");
    }
    const converted = convertOpenAIChatCompletionToAnthropic(completion, {
      requestModel: options.clientModel,
      messageId: options.messageId,
      stopSequences: request.stop_sequences,
      toolCalls: handling,
    });
    converted.warnings.forEach(options.onWarning);
    return converted;
  }

  /**
   * Calls that failed their schema are held for one re-ask when `tools.reask` is on and the engine
   * was offered tools. Calls are checked against those only: a server tool the conversion dropped
   * is no tool the model could call.
   */
  private toolHandling(request: MessageCreateParams, options: CallOptions): ToolCallHandling {
    const settings = resolveToolSettings(options.tools, this.id, request.model);
    const tools = (request.tools ?? []).filter(isFunctionTool);
    return { tools, textCalls: settings.textCalls, holdInvalid: settings.reask && tools.length > 0, singleCall: settings.singleCall };
  }

  private resolveToolCalling(request: MessageCreateParams, options: CallOptions): Promise<ToolCalling> {
    return this.toolCalling.resolve(request.model, (request.tools ?? []).length > 0, options.tools);
  }

  private buildChatRequest(request: MessageCreateParams, stream: boolean, options: CallOptions, calling: ToolCalling) {
    const settings = resolveToolSettings(options.tools, this.id, request.model);
    const sent = calling === "prompt" ? describeToolsInPrompt(request, { singleCall: settings.singleCall }) : request;
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(sent, {
      thinkingStyle: this.settings.thinkingStyle,
      stream,
      memo: options.memo,
    });
    warnings.forEach(options.onWarning);
    if (value.tools && settings.singleCall) value.parallel_tool_calls = false;
    // llama-server keeps the prompt in the slot's KV cache only when asked (default differs by version).
    if (this.settings.kind === "llamacpp") {
      value.cache_prompt = true;
      if (options.slot !== undefined) value.id_slot = options.slot;
    }
    return value;
  }
}
