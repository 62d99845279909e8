/**
 * Native mode: the backend speaks Anthropic Messages itself (llama-server, Ollama ≥ 0.14,
 * LM Studio, vLLM, or an Anthropic-compatible upstream). anyclaude forwards the normalized
 * request, checks every event it gets back, and restores the client's model name.
 */
import { BackendHttpError, BackendProtocolError } from "../errors/proxy-error";
import type { CountTokensParams, Message, MessageCreateParams } from "../protocol/anthropic/messages";
import { checkMessage, checkStreamEvent } from "../protocol/anthropic/response-schema";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { describeToolsInPrompt } from "../tools/describe-tools-in-prompt";
import { convertAnthropicRequestToOpenAIChat } from "../translate/convert-anthropic-request-to-openai-chat";
import { filterNativeToolCalls, NativeToolCallFilter } from "../translate/native-tool-call-filter";
import type { ToolCallHandling } from "../translate/tool-call-gate";
import type { Backend, CallOptions, MessageStream, TokenCount } from "./backend";
import { countTokensWithEngine } from "./count-tokens-with-engine";
import { HttpBackend } from "./http-backend";
import { parseBackendJson } from "./parse-backend-json";
import { convertInStreamError } from "./read-backend-error";
import { readBackendEvents } from "./read-backend-events";
import { requestBackendJson } from "./request-backend-json";
import { resolveToolSettings } from "./resolve-tool-settings";
import { type ToolCalling, ToolCallingByModel } from "./tool-calling-by-model";

const ANTHROPIC_VERSION = "2023-06-01";

export class AnthropicNativeBackend extends HttpBackend implements Backend {
  readonly mode = "native" as const;
  /** Set once the backend answered 404 to count_tokens, so later counts skip straight to the fallback. */
  private lacksCountTokens = false;
  private readonly toolCalling = new ToolCallingByModel(this.settings);

  async createMessage(request: MessageCreateParams, options: CallOptions): Promise<Message> {
    const calling = await this.resolveToolCalling(request, options);
    const started = await this.post("/v1/messages", this.prepare(request, false, options, calling), options);
    const text = await started.readText();
    const message = parseBackendJson(this.id, text, "message");
    if (!checkMessage.Check(message)) {
      const first = checkMessage.Errors(message).First();
      throw new BackendProtocolError(this.id, `${first?.path || "/"}: ${first?.message ?? "not a message"}`);
    }
    const answer = { ...(message as unknown as Message), model: options.clientModel };
    const handling = this.toolHandling(request, options);
    if (!handling) return answer;
    const filtered = filterNativeToolCalls(answer, handling);
    filtered.warnings.forEach(options.onWarning);
    return filtered.value;
  }

  async streamMessage(request: MessageCreateParams, options: CallOptions): Promise<MessageStream> {
    const calling = await this.resolveToolCalling(request, options);
    const started = await this.post("/v1/messages", this.prepare(request, true, options, calling), options);
    const handling = this.toolHandling(request, options);
    const filter = handling ? new NativeToolCallFilter(handling) : undefined;
    const backendId = this.id;
    const timeouts = this.settings.timeouts;
    async function* events(): AsyncGenerator<MessageStreamEvent[]> {
      let stopped = false;
      for await (const frames of readBackendEvents(backendId, started, timeouts)) {
        const batch: MessageStreamEvent[] = [];
        try {
          for (const frame of frames) {
            const event = parseBackendJson(backendId, frame.data, "stream event");
            if (frame.event === "error" || (event as { type?: unknown }).type === "error") {
              throw convertInStreamError(backendId, (event as { error?: unknown }).error ?? event);
            }
            if (!checkStreamEvent.Check(event)) {
              const first = checkStreamEvent.Errors(event).First();
              throw new BackendProtocolError(backendId, `event ${frame.event ?? "?"}: ${first?.path || "/"} ${first?.message ?? ""}`);
            }
            const typed = event as MessageStreamEvent;
            if (typed.type === "message_start") typed.message.model = options.clientModel;
            if (typed.type === "content_block_start" && typed.content_block.type === "tool_use") typed.content_block.input ??= {};
            if (typed.type === "message_stop") stopped = true;
            if (!filter) batch.push(typed);
            else {
              batch.push(...filter.push(typed));
              filter.drainWarnings().forEach(options.onWarning);
            }
          }
        } catch (error) {
          // What the chunk brought before the failure still reaches the client, then the error frame.
          if (batch.length > 0) yield batch;
          throw error;
        }
        if (batch.length > 0) yield batch;
      }
      // A body that closes cleanly but early (engine killed, proxy in between) must not pass for a whole answer.
      if (!stopped) throw new BackendProtocolError(backendId, "the stream ended before message_stop");
    }
    return { events: events() };
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

  /**
   * Local engines' answers get translate mode's tool-call handling (text-form calls, checks,
   * single-call mode); an Anthropic upstream's pass as they are. No re-ask here: translate only.
   */
  private toolHandling(request: MessageCreateParams, options: CallOptions): ToolCallHandling | undefined {
    const tools = request.tools ?? [];
    if (this.settings.kind === "anthropic" || tools.length === 0) return undefined;
    const settings = resolveToolSettings(options.tools, this.id, request.model);
    return { tools, textCalls: settings.textCalls, holdInvalid: false, singleCall: settings.singleCall };
  }

  private resolveToolCalling(request: MessageCreateParams, options: CallOptions): Promise<ToolCalling> {
    return this.toolCalling.resolve(request.model, (request.tools ?? []).length > 0, options.tools);
  }

  protected override extraHeaders(): Record<string, string> {
    return { "anthropic-version": ANTHROPIC_VERSION };
  }

  /**
   * llama-server's native endpoint ignores `thinking`; its chat template takes `enable_thinking`.
   * `options.slot` is not sent: that endpoint rebuilds the body keeping only temperature, top_p,
   * top_k, stream and chat_template_kwargs (server_chat_convert_anthropic_to_oai, llama.cpp
   * 80fb11a), so `id_slot` would be dropped; its own prompt-similarity slot choice applies.
   */
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
