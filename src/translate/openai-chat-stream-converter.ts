/**
 * Converts a stream of OpenAI chat-completion chunks into Anthropic stream events, as they
 * arrive: message_start, then one block at a time (start, deltas, stop), then message_delta
 * with the stop reason and final usage, then message_stop. Nothing is held back, so Claude Code
 * shows tokens as fast as the engine produces them.
 */
import type { ContentBlock, Usage } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { ChatCompletionChunk, ChatUsage } from "../protocol/openai/chat-response-schema";
import { convertOpenAIChatUsage, type LlamaTimings } from "./convert-openai-chat-usage";
import type { ToolUseIdGenerator } from "./generate-tool-use-id";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import { repairToolCallArguments } from "./repair-tool-call-arguments";
import { ToolCallAssembler, type ToolCallUpdate } from "./tool-call-assembler";
import type { TranslationWarning } from "./translation-warning";

export interface StreamConversionContext {
  /** The model name the client asked for; Claude Code expects to see it back. */
  requestModel: string;
  messageId: string;
  /** Prompt size to announce in message_start, before the engine reports the real count. */
  inputTokensEstimate?: number;
  /** The request's `stop_sequences`, to tell which stop the engine reports. */
  stopSequences?: string[];
  generateToolUseId?: ToolUseIdGenerator;
}

type TextOrThinkingDelta = { type: "thinking_delta"; thinking: string } | { type: "text_delta"; text: string };
type OpenBlock = { index: number; type: "thinking" | "text" } | { index: number; type: "tool_use"; position: number };

/**
 * @example
 * const converter = new OpenAIChatStreamConverter({ requestModel: "claude-sonnet-5-5", messageId: "msg_01" });
 * for (const chunk of chunks) for (const event of converter.push(chunk)) send(event);
 * for (const event of converter.finish()) send(event);
 */
export class OpenAIChatStreamConverter {
  private readonly assembler: ToolCallAssembler;
  private readonly warnings: TranslationWarning[] = [];
  private started = false;
  private finished = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private hadToolCalls = false;
  private warnedExtraChoice = false;
  private finishReason: string | null | undefined;
  private stopReason: string | number | null | undefined;
  private usage: ChatUsage | undefined;
  private timings: LlamaTimings | undefined;
  /** Chunks that carried output; the output-token estimate when the engine reports no usage. */
  private outputChunks = 0;

  constructor(private readonly context: StreamConversionContext) {
    this.assembler = new ToolCallAssembler({ generateId: context.generateToolUseId });
  }

  push(chunk: ChatCompletionChunk): MessageStreamEvent[] {
    if (this.finished) {
      this.warn("chunk-after-finish", "chunk", "dropped a chunk that arrived after the stream was finished");
      return [];
    }
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.timings) this.timings = chunk.timings;
    const events = this.started ? [] : [this.startMessage()];
    // With n > 1 an engine interleaves choices; Anthropic has one message, so only choice 0 is kept.
    if (!this.warnedExtraChoice && chunk.choices.some((c) => (c.index ?? 0) !== 0)) {
      this.warnedExtraChoice = true;
      this.warn("unexpected-choice-count", "choices", "the engine sent more than one choice; only choice 0 is streamed");
    }
    const choice = chunk.choices.find((c) => (c.index ?? 0) === 0);
    if (!choice) return events;

    const delta = choice.delta;
    const reasoning = delta?.reasoning_content || delta?.reasoning;
    if (reasoning || delta?.content || delta?.tool_calls?.length) this.outputChunks++;
    if (reasoning) events.push(...this.appendToBlock("thinking", { type: "thinking_delta", thinking: reasoning }));
    if (delta?.content) events.push(...this.appendToBlock("text", { type: "text_delta", text: delta.content }));
    for (const call of delta?.tool_calls ?? []) {
      for (const update of this.assembler.push(call)) events.push(...this.applyToolUpdate(update));
    }
    this.warnings.push(...this.assembler.drainWarnings());
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.stopReason = choice.stop_reason;
      // The stop reason must wait for the usage chunk, but the last block can close now.
      events.push(...this.closeBlock());
    }
    return events;
  }

  /** Ends the message; also closes everything properly when the engine never sent a finish_reason. */
  finish(): MessageStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const events = this.started ? [] : [this.startMessage()];
    events.push(...this.closeBlock());
    this.assembler.finish();
    this.warnings.push(...this.assembler.drainWarnings());

    const stop = mapOpenAIFinishReason(this.finishReason, {
      hadToolCalls: this.hadToolCalls,
      stopSequence: this.stopReason,
      requestedStopSequences: this.context.stopSequences,
    });
    this.warnings.push(...stop.warnings);
    const delta = { stop_reason: stop.value.stopReason, stop_sequence: stop.value.stopSequence };
    events.push({ type: "message_delta", delta, usage: this.finalUsage() }, { type: "message_stop" });
    return events;
  }

  /** Warnings since the last call, for the caller to log and count. */
  drainWarnings(): TranslationWarning[] {
    return this.warnings.splice(0);
  }

  private startMessage(): MessageStreamEvent {
    this.started = true;
    return {
      type: "message_start",
      message: {
        id: this.context.messageId,
        type: "message",
        role: "assistant",
        model: this.context.requestModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // Engines usually report usage only at the end; until then the prompt count is the estimate.
        usage: { ...this.currentUsage(), output_tokens: 0 },
      },
    };
  }

  private appendToBlock(type: "thinking" | "text", delta: TextOrThinkingDelta): MessageStreamEvent[] {
    const events: MessageStreamEvent[] = [];
    if (this.open?.type !== type) {
      events.push(...this.closeBlock());
      const block: ContentBlock = type === "thinking" ? { type, thinking: "", signature: "" } : { type, text: "" };
      events.push(this.openBlock({ index: this.nextIndex, type }, block));
    }
    events.push({ type: "content_block_delta", index: this.open!.index, delta });
    return events;
  }

  private applyToolUpdate(update: ToolCallUpdate): MessageStreamEvent[] {
    if (update.type === "arguments") {
      const open = this.open;
      if (open?.type === "tool_use" && open.position === update.position) return [this.jsonDelta(open.index, update.text)];
      // Its block was closed by text or the finish_reason, and may already carry a repair suffix.
      const path = `tool_calls[${update.position}].function.arguments`;
      this.warn("late-tool-call-fragment", path, `dropped arguments that arrived after their block closed: ${update.text}`);
      return [];
    }
    this.hadToolCalls = true;
    const events = this.closeBlock();
    const block: ContentBlock = { type: "tool_use", id: update.id, name: update.name, input: {} };
    events.push(this.openBlock({ index: this.nextIndex, type: "tool_use", position: update.position }, block));
    return events;
  }

  private openBlock(open: OpenBlock, block: ContentBlock): MessageStreamEvent {
    this.open = open;
    this.nextIndex++;
    return { type: "content_block_start", index: open.index, content_block: block };
  }

  private closeBlock(): MessageStreamEvent[] {
    const open = this.open;
    if (!open) return [];
    this.open = undefined;
    const events: MessageStreamEvent[] = [];
    // Local engines cannot sign thinking; Claude Code accepts the empty signature.
    if (open.type === "thinking") {
      events.push({ type: "content_block_delta", index: open.index, delta: { type: "signature_delta", signature: "" } });
    }
    if (open.type === "tool_use") {
      const streamed = this.assembler.calls[open.position]!.arguments;
      const repaired = repairToolCallArguments(streamed, `tool_calls[${open.position}].function.arguments`);
      this.warnings.push(...repaired.warnings);
      // Only a fix by appending can still reach the client: the rest of the text is already sent.
      if (repaired.value.suffix) events.push(this.jsonDelta(open.index, repaired.value.suffix));
    }
    events.push({ type: "content_block_stop", index: open.index });
    return events;
  }

  private jsonDelta(index: number, partial_json: string): MessageStreamEvent {
    return { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } };
  }

  private currentUsage(): Usage {
    return convertOpenAIChatUsage({ usage: this.usage, timings: this.timings }, this.context.inputTokensEstimate ?? 0);
  }

  private finalUsage(): Usage {
    if (this.usage || this.timings) return this.currentUsage();
    this.warn("missing-usage", "usage", "the engine reported no token usage; input is anyclaude's estimate, output counts chunks");
    return { ...this.currentUsage(), output_tokens: this.outputChunks };
  }

  private warn(code: string, path: string, message: string): void {
    this.warnings.push({ code, path, message });
  }
}
