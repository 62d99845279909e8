/**
 * The contract every backend implements, whatever it speaks on the wire. The router and the
 * server only see this: Anthropic requests in, Anthropic messages or event streams out,
 * failures as ProxyError.
 */
import type { BackendKind, BackendMode } from "../config/config-choices";
import type { ToolsConfig } from "../config/tools-config-schema";
import type { ConversationMemo } from "../json/conversation-memo";
import type { CountTokensParams, Message, MessageCreateParams } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { TranslationWarning } from "../translate/translation-warning";

export interface BackendModel {
  id: string;
  /** Tokens the backend accepts for prompt + output, when it says. */
  contextWindow?: number;
  /** Where the window came from (`llama-server /props n_ctx per slot`, `ollama /api/ps context_length`, ...), for /health and doctor. */
  contextWindowSource?: string;
  /** llama-server's parallel slots (`/props` total_slots): where prefix affinity pins requests. */
  slots?: number;
}

export interface CallOptions {
  signal: AbortSignal;
  /** Id for the answer (`msg_…`), shared with the request id's random part. */
  messageId: string;
  /** The model name the client asked for; answers carry it back unchanged. */
  clientModel: string;
  /** anyclaude's estimate of the prompt's tokens, computed once per request (message_start needs it before the engine counts). */
  inputTokensEstimate: number;
  /** Called for every translation warning, so the server can log and count it. */
  onWarning: (warning: TranslationWarning) => void;
  /** llama-server slot whose KV cache holds this prompt's prefix (`id_slot`); set by the router (pinLlamaSlot). */
  slot?: number;
  /** What the server remembers of the conversations it serves: resent parts are converted and serialized once. */
  memo?: ConversationMemo;
  /** The `tools` config section: text-form calls, input checks and re-asks, how tools reach the model. Defaults when absent. */
  tools?: ToolsConfig;
}

export interface TokenCount {
  input_tokens: number;
  /** True when the backend's own tokenizer counted; false for anyclaude's documented estimate. */
  exact: boolean;
}

/**
 * A started stream. `events` yields the Anthropic events in order; it throws a ProxyError if
 * the backend fails after the stream began. Breaking out of the loop aborts the backend request.
 */
export interface MessageStream {
  /**
   * The events, in order, in batches: each batch holds what one piece of the backend's body
   * brought, so that the SSE response can write it in one go. Never an empty batch.
   */
  events: AsyncIterable<MessageStreamEvent[]>;
}

export interface Backend {
  readonly id: string;
  readonly kind: BackendKind;
  readonly mode: BackendMode;
  readonly baseUrl: string;

  /** `request.model` is already the backend's model name. */
  createMessage(request: MessageCreateParams, options: CallOptions): Promise<Message>;

  /** Resolves once the backend has accepted the request (2xx headers), so earlier failures stay HTTP errors. */
  streamMessage(request: MessageCreateParams, options: CallOptions): Promise<MessageStream>;

  countTokens(request: CountTokensParams, options: CallOptions): Promise<TokenCount>;

  listModels(signal?: AbortSignal): Promise<BackendModel[]>;

  /** Each text's tokens by the engine's own tokenizer (no special tokens); undefined when the engine has none. */
  countTextTokens(texts: readonly string[], model: string, signal: AbortSignal): Promise<number[] | undefined>;

  /** The router's health probe: resolves when the engine answers its cheapest endpoint in time, throws a ProxyError otherwise. */
  checkHealth(options: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
}
