/**
 * Converts a stream of OpenAI chat-completion chunks into Anthropic stream events, as they
 * arrive: message_start, then one block at a time, then message_delta with the stop reason and
 * final usage, then message_stop. Text and thinking flow at once; a tool call is sent whole once
 * it is complete and checked (tool-call-gate.ts), and text that may open a call written as text
 * waits until it is clear whether it does.
 */
import type { Usage } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { ChatCompletionChunk, ChatUsage } from "../protocol/openai/chat-response-schema";
import type { InvalidToolCall } from "../tool-calls/build-reask-request";
import { AnswerContentWriter } from "./answer-content-writer";
import { convertOpenAIChatUsage, type LlamaTimings } from "./convert-openai-chat-usage";
import { generateToolUseId, type ToolUseIdGenerator } from "./generate-tool-use-id";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import { ToolCallAssembler } from "./tool-call-assembler";
import type { ToolCallHandling } from "./tool-call-gate";
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
  toolCalls?: ToolCallHandling;
}

/**
 * @example
 * const converter = new OpenAIChatStreamConverter({ requestModel: "claude-sonnet-5-5", messageId: "msg_01" });
 * for (const chunk of chunks) for (const event of converter.push(chunk)) send(event);
 * for (const event of converter.finish()) send(event);
 */
export class OpenAIChatStreamConverter {
  private readonly content: AnswerContentWriter;
  private readonly generateId: ToolUseIdGenerator;
  private readonly warnings: TranslationWarning[] = [];
  private assembler: ToolCallAssembler;
  /** The structured call still being assembled: it is complete when the next one starts or the answer ends. */
  private pendingCall: number | undefined;
  private started = false;
  private finished = false;
  private warnedExtraChoice = false;
  private finishReason: string | null | undefined;
  private stopReason: string | number | null | undefined;
  private usage: ChatUsage | undefined;
  private timings: LlamaTimings | undefined;
  /** Usage of the answers before a re-ask: the client's prompt, and output tokens that add up. */
  private earlierUsage: Usage | undefined;
  /** Chunks that carried output; the output-token estimate when the engine reports no usage. */
  private outputChunks = 0;

  constructor(private readonly context: StreamConversionContext) {
    this.generateId = context.generateToolUseId ?? generateToolUseId;
    this.assembler = new ToolCallAssembler({ generateId: this.generateId });
    this.content = new AnswerContentWriter(context.toolCalls, this.generateId, this.warnings);
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
    if (reasoning) events.push(...this.content.appendThinking(reasoning));
    if (delta?.content) events.push(...this.content.appendText(delta.content));
    for (const call of delta?.tool_calls ?? []) {
      for (const update of this.assembler.push(call)) {
        if (update.type !== "start") continue;
        events.push(...this.completePendingCall());
        this.pendingCall = update.position;
      }
    }
    this.warnings.push(...this.assembler.drainWarnings());
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      this.stopReason = choice.stop_reason;
      // The stop reason must wait for the usage chunk, but the last call can go and the last block close now.
      events.push(...this.completePendingCall(), ...this.content.closeBlock());
    }
    return events;
  }

  /**
   * Ends the current answer's content: held text is decided, the last call checked. After it,
   * `invalidCalls` says whether a re-ask is due.
   */
  endAnswer(): MessageStreamEvent[] {
    const events = this.started ? [] : [this.startMessage()];
    events.push(...this.completePendingCall(), ...this.content.endAnswer());
    return events;
  }

  /** Calls held back because they failed their schema (only with `toolCalls.holdInvalid`), and the answer's text. */
  invalidCalls(): { text: string; calls: readonly InvalidToolCall[] } {
    return this.content.invalidCalls();
  }

  /**
   * Continues the same message with the engine's answer to a re-ask, whose chunks are pushed
   * next: the held calls are given up, and calls are no longer held.
   */
  resumeAfterReask(): void {
    this.content.resumeAfterReask();
    this.earlierUsage = this.finalUsage();
    this.usage = this.timings = this.finishReason = this.stopReason = undefined;
    this.outputChunks = 0;
    this.assembler = new ToolCallAssembler({ generateId: this.generateId });
  }

  /** Ends the message; also closes everything properly when the engine never sent a finish_reason. */
  finish(): MessageStreamEvent[] {
    if (this.finished) return [];
    const events = this.endAnswer();
    this.finished = true;
    // Calls held for a re-ask that nobody made go out as they are.
    events.push(...this.content.passInvalidCalls());
    this.assembler.finish();
    this.warnings.push(...this.assembler.drainWarnings());

    const stop = mapOpenAIFinishReason(this.finishReason, {
      hadToolCalls: this.content.hadToolCalls,
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

  private completePendingCall(): MessageStreamEvent[] {
    const position = this.pendingCall;
    if (position === undefined) return [];
    this.pendingCall = undefined;
    const call = this.assembler.calls[position]!;
    const native = { id: call.id, name: call.name, arguments: call.arguments, origin: "native" as const };
    return this.content.writeToolCall(native, `tool_calls[${position}]`);
  }

  private currentUsage(): Usage {
    return convertOpenAIChatUsage({ usage: this.usage, timings: this.timings }, this.context.inputTokensEstimate ?? 0);
  }

  private finalUsage(): Usage {
    let usage = this.currentUsage();
    if (!this.usage && !this.timings) {
      this.warn("missing-usage", "usage", "the engine reported no token usage; input is anyclaude's estimate, output counts chunks");
      usage = { ...usage, output_tokens: this.outputChunks };
    }
    const earlier = this.earlierUsage;
    return earlier ? { ...earlier, output_tokens: earlier.output_tokens + usage.output_tokens } : usage;
  }

  private warn(code: string, path: string, message: string): void {
    this.warnings.push({ code, path, message });
  }
}
