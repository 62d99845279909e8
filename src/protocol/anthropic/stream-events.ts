/**
 * Anthropic Messages streaming events, in the order a client must see them:
 * message_start, then per block content_block_start / *_delta / content_block_stop,
 * then message_delta (stop reason, final usage) and message_stop. `ping` may come anywhere. A
 * stream that fails after its first byte ends with one `event: error` frame holding an ErrorBody.
 */

import type { ContentBlock, Message, ServerToolUsage, StopReason, WebSearchResultLocation } from "./messages";

interface MessageStartEvent {
  type: "message_start";
  message: Message;
}

interface ContentBlockStartEvent {
  type: "content_block_start";
  index: number;
  content_block: ContentBlock;
}

export type ContentBlockDelta =
  | { type: "text_delta"; text: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  /** Adds one citation to the text block it names. */
  | { type: "citations_delta"; citation: WebSearchResultLocation };

export interface ContentBlockDeltaEvent {
  type: "content_block_delta";
  index: number;
  delta: ContentBlockDelta;
}

interface ContentBlockStopEvent {
  type: "content_block_stop";
  index: number;
}

interface MessageDeltaUsage {
  output_tokens: number;
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  server_tool_use?: ServerToolUsage;
}

export interface MessageDeltaEvent {
  type: "message_delta";
  delta: { stop_reason: StopReason | null; stop_sequence: string | null };
  usage: MessageDeltaUsage;
}

interface MessageStopEvent {
  type: "message_stop";
}

interface PingEvent {
  type: "ping";
}

export type MessageStreamEvent =
  | MessageStartEvent
  | ContentBlockStartEvent
  | ContentBlockDeltaEvent
  | ContentBlockStopEvent
  | MessageDeltaEvent
  | MessageStopEvent
  | PingEvent;
