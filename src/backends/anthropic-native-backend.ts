/**
 * Native mode: the backend speaks Anthropic Messages itself (llama-server, Ollama ≥ 0.14,
 * LM Studio, vLLM, or an Anthropic-compatible upstream). anyclaude forwards the normalized
 * request, checks every event it gets back, and restores the client's model name.
 */
import { BackendHttpError, BackendProtocolError } from "../errors/proxy-error";
import { reuse } from "../json/conversation-memo";
import type { CountTokensParams, Message, MessageCreateParams } from "../protocol/anthropic/messages";
import { checkMessage } from "../protocol/anthropic/response-schema";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { buildReaskRequest } from "../tool-calls/build-reask-request";
import { describeToolsInPrompt } from "../tool-calls/describe-tools-in-prompt";
import { convertAnthropicRequestToOpenAIChat } from "../translate/convert-anthropic-request-to-openai-chat";
import { isFunctionTool, keepFunctionTools } from "../translate/is-function-tool";
import { filterNativeToolCalls, NativeToolCallFilter } from "../translate/native-tool-call-filter";
import type { ToolCallHandling } from "../translate/tool-call-gate";
import type { Backend, CallOptions, MessageStream, TokenCount } from "./backend";
import { completeWithReask, type HeldToolCalls } from "./complete-with-reask";
import { countTokensWithEngine } from "./count-tokens-with-engine";
import type { BackendResponse } from "./fetch-backend";
import { HttpBackend } from "./http-backend";
import { OpenAIChatBackend } from "./openai-chat-backend";
import { parseBackendJson } from "./parse-backend-json";
import { readNativeAnswer } from "./read-native-answer";
import { requestBackendJson } from "./request-backend-json";
import { resolveToolSettings } from "./resolve-tool-settings";
import { streamWithReask } from "./stream-with-reask";
import { type ToolCalling, ToolCallingByModel } from "./tool-calling-by-model";

const ANTHROPIC_VERSION = "2023-06-01";

export class AnthropicNativeBackend extends HttpBackend implements Backend {
  readonly mode = "native" as const;
  /** Set once the backend answered 404 to count_tokens, so later counts skip straight to the fallback. */
  private lacksCountTokens = false;
  private readonly toolCalling = new ToolCallingByModel(this.settings);
  /**
   * llama-server's `/v1/messages` drops `id_slot`: it rebuilds the body keeping only temperature,
   * top_p, top_k, stream and chat_template_kwargs (server_chat_convert_anthropic_to_oai, llama.cpp
   * 80fb11a). A request the router pinned to a slot goes to the engine's OpenAI endpoint, which
   * honours it (docs/decisions/0030-pinned-requests-in-native-mode.md).
   */
  private readonly pinnable =
    this.settings.kind === "llamacpp" ? new OpenAIChatBackend({ ...this.settings, mode: "translate" }) : undefined;

  async createMessage(client: MessageCreateParams, options: CallOptions): Promise<Message> {
    if (this.pinnable && options.slot !== undefined) return this.pinnable.createMessage(client, options);
    const request = this.offerableTools(client, options);
    const calling = await this.resolveToolCalling(request, options);
    const handling = this.toolHandling(request, options);
    const answer = await this.completeMessage(request, options, calling);
    if (!handling) return answer;
    const first = filterNativeToolCalls(answer, handling);
    first.warnings.forEach(options.onWarning);
    const reask = async (held: HeldToolCalls) => {
      const second = filterNativeToolCalls(await this.completeMessage(buildReaskRequest(request, held), options, calling), {
        ...handling,
        holdInvalid: false,
      });
      second.warnings.forEach(options.onWarning);
      return second.value;
    };
    return completeWithReask(first.value, first.invalid, reask, options);
  }

  async streamMessage(client: MessageCreateParams, options: CallOptions): Promise<MessageStream> {
    if (this.pinnable && options.slot !== undefined) return this.pinnable.streamMessage(client, options);
    const request = this.offerableTools(client, options);
    const calling = await this.resolveToolCalling(request, options);
    const started = await this.post("/v1/messages", this.prepare(request, true, options, calling), options);
    const handling = this.toolHandling(request, options);
    if (!handling)
      return { events: passNativeAnswer(readNativeAnswer(this.id, started, this.settings.timeouts, options, (event) => [event])) };
    const filter = new NativeToolCallFilter(handling);
    const read = (response: BackendResponse) =>
      readNativeAnswer(this.id, response, this.settings.timeouts, options, (event) => {
        const events = filter.push(event);
        filter.drainWarnings().forEach(options.onWarning);
        return events;
      });
    const reask = async (held: HeldToolCalls) =>
      read(await this.post("/v1/messages", this.prepare(buildReaskRequest(request, held), true, options, calling), options));
    return { events: streamWithReask(filter, read(started), reask, options) };
  }

  async countTokens(request: CountTokensParams, options: CallOptions): Promise<TokenCount> {
    if (!this.lacksCountTokens) {
      try {
        const body = { ...request, model: request.model };
        const result = await requestBackendJson(this.settings, "/v1/messages/count_tokens", {
          body,
          signal: options.signal,
          timeouts: this.settings.timeouts,
          memo: options.memo,
        });
        const count = (result as { input_tokens?: unknown }).input_tokens;
        if (typeof count === "number" && Number.isInteger(count) && count >= 0) return { input_tokens: count, exact: true };
        throw new BackendProtocolError(this.id, "count_tokens answered without input_tokens");
      } catch (error) {
        if (!(error instanceof BackendHttpError && (error.backendStatus === 404 || error.backendStatus === 405))) throw error;
        this.lacksCountTokens = true;
      }
    }
    // No native counter: use the engine's OpenAI-side tokenizer where it has one, else the estimate.
    const { value: chat } = convertAnthropicRequestToOpenAIChat(
      { ...request, max_tokens: 1 },
      { thinkingStyle: "none", stream: false, memo: options.memo },
    );
    return countTokensWithEngine(this.settings, chat, request, options);
  }

  /** One whole answer, checked, with the client's model name. */
  private async completeMessage(request: MessageCreateParams, options: CallOptions, calling: ToolCalling): Promise<Message> {
    const started = await this.post("/v1/messages", this.prepare(request, false, options, calling), options);
    const message = parseBackendJson(this.id, await started.readText(), "message");
    if (!checkMessage.Check(message)) {
      const first = checkMessage.Errors(message).First();
      throw new BackendProtocolError(this.id, `${first?.path || "/"}: ${first?.message ?? "not a message"}`);
    }
    return { ...(message as unknown as Message), model: options.clientModel };
  }

  /**
   * Local engines' answers get translate mode's tool-call handling (text-form calls, checks,
   * single-call mode, one re-ask when `tools.reask` is on); an Anthropic upstream's pass as they are.
   */
  private toolHandling(request: MessageCreateParams, options: CallOptions): ToolCallHandling | undefined {
    const tools = request.tools ?? [];
    if (this.settings.kind === "anthropic" || tools.length === 0) return undefined;
    const settings = resolveToolSettings(options.tools, this.id, request.model);
    return { tools, textCalls: settings.textCalls, holdInvalid: settings.reask, singleCall: settings.singleCall };
  }

  private resolveToolCalling(request: MessageCreateParams, options: CallOptions): Promise<ToolCalling> {
    return this.toolCalling.resolve(request.model, (request.tools ?? []).length > 0, options.tools);
  }

  /**
   * A local engine is offered function tools only, as in translate mode: a server tool anyclaude
   * does not run (`web_search_…` with no searcher configured) is dropped with a warning. Resent
   * tool lists are filtered once (options.memo).
   */
  private offerableTools(request: MessageCreateParams, options: CallOptions): MessageCreateParams {
    if (this.settings.kind === "anthropic" || request.tools === undefined || request.tools.every(isFunctionTool)) return request;
    const kept = reuse(options.memo, keepFunctionTools, request.tools);
    kept.warnings.forEach(options.onWarning);
    const { tools: _dropped, tool_choice, ...rest } = request;
    if (kept.value.length === 0) return rest;
    return { ...rest, tools: kept.value, ...(tool_choice !== undefined && { tool_choice }) };
  }

  protected override extraHeaders(): Record<string, string> {
    return { "anthropic-version": ANTHROPIC_VERSION };
  }

  /** llama-server's native endpoint ignores `thinking`; its chat template takes `enable_thinking`. */
  private prepare(request: MessageCreateParams, stream: boolean, options: CallOptions, calling: ToolCalling): MessageCreateParams {
    const settings = resolveToolSettings(options.tools, this.id, request.model);
    const sent = calling === "prompt" ? describeToolsInPrompt(request, { singleCall: settings.singleCall }) : request;
    const body: MessageCreateParams = { ...sent, stream };
    const choice = sent.tool_choice ?? { type: "auto" };
    if (settings.singleCall && calling === "native" && (sent.tools ?? []).length > 0 && choice.type !== "none") {
      body.tool_choice = { ...choice, disable_parallel_tool_use: true };
    }
    if (this.settings.kind === "llamacpp" && request.thinking && body.chat_template_kwargs === undefined) {
      body.chat_template_kwargs = { enable_thinking: request.thinking.type !== "disabled" };
    }
    return body;
  }
}

/** Every batch of an answer that needs no tool-call handling, its last one included. */
async function* passNativeAnswer(answer: AsyncGenerator<MessageStreamEvent[], MessageStreamEvent[]>): AsyncGenerator<MessageStreamEvent[]> {
  const last = yield* answer;
  if (last.length > 0) yield last;
}
