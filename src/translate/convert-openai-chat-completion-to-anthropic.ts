/**
 * Converts a whole (non-streamed) OpenAI chat completion into the Anthropic Message Claude Code
 * expects: thinking first, then text with any calls the model wrote as text, then one tool_use
 * block per structured call, each checked against its tool (tool-call-gate.ts).
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { ChatCompletion } from "../protocol/openai/chat-response-schema";
import type { InvalidToolCall } from "../tool-calls/build-reask-request";
import { AnswerContentWriter } from "./answer-content-writer";
import { collectContentBlocks } from "./collect-content-blocks";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
import { generateToolUseId, type ToolUseIdGenerator } from "./generate-tool-use-id";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import type { ToolCallHandling } from "./tool-call-gate";
import type { Translated, TranslationWarning } from "./translation-warning";

export interface ChatCompletionConversionContext {
  /** The model name the client asked for; Claude Code expects to see it back. */
  requestModel: string;
  messageId: string;
  /** The request's `stop_sequences`, to tell which stop the engine reports. */
  stopSequences?: string[];
  generateToolUseId?: ToolUseIdGenerator;
  toolCalls?: ToolCallHandling;
}

export interface ConvertedChatCompletion extends Translated<Message> {
  /** Calls held back because they failed their schema (only with `toolCalls.holdInvalid`), and the answer's text. */
  invalid: { text: string; calls: InvalidToolCall[] };
}

type ChatChoice = ChatCompletion["choices"][number];

/**
 * @example
 * const { value, warnings } = convertOpenAIChatCompletionToAnthropic(completion, {
 *   requestModel: "claude-sonnet-5-5",
 *   messageId: "msg_01",
 * });
 */
export function convertOpenAIChatCompletionToAnthropic(
  completion: ChatCompletion,
  context: ChatCompletionConversionContext,
): ConvertedChatCompletion {
  const warnings: TranslationWarning[] = [];
  const choice = completion.choices[0];
  if (completion.choices.length !== 1) {
    warnings.push({
      code: "unexpected-choice-count",
      path: "choices",
      message: `expected one choice, got ${completion.choices.length}; only the first is used`,
    });
  }

  const writer = new AnswerContentWriter(context.toolCalls, context.generateToolUseId ?? generateToolUseId, warnings);
  const content = choice ? convertChoiceContent(choice, writer, warnings) : [];
  const invalid = writer.invalidCalls();
  const stop = mapOpenAIFinishReason(choice?.finish_reason, {
    hadToolCalls: content.some((block) => block.type === "tool_use"),
    stopSequence: choice?.stop_reason,
    requestedStopSequences: context.stopSequences,
  });
  warnings.push(...stop.warnings);
  if (!completion.usage && !completion.timings) {
    warnings.push({ code: "missing-usage", path: "usage", message: "the engine reported no token usage; counted as 0" });
  }

  return {
    value: {
      id: context.messageId,
      type: "message",
      role: "assistant",
      model: context.requestModel,
      content,
      stop_reason: stop.value.stopReason,
      stop_sequence: stop.value.stopSequence,
      usage: convertOpenAIChatUsage({ usage: completion.usage, timings: completion.timings }),
    },
    warnings,
    invalid: { text: invalid.text, calls: [...invalid.calls] },
  };
}

function convertChoiceContent(choice: ChatChoice, writer: AnswerContentWriter, warnings: TranslationWarning[]): ContentBlock[] {
  const { message } = choice;
  const events: MessageStreamEvent[] = [];
  // llama-server and older vLLM say `reasoning_content`; Ollama and newer vLLM say `reasoning`.
  const reasoning = message.reasoning_content || message.reasoning;
  if (reasoning) events.push(...writer.appendThinking(reasoning));
  if (message.content) events.push(...writer.appendText(message.content));
  (message.tool_calls ?? []).forEach((call, index) => {
    const path = `choices[0].message.tool_calls[${index}]`;
    if (!call.function.name) {
      warnings.push({ code: "tool-call-without-name", path, message: "dropped a tool call the engine did not name" });
      return;
    }
    const toolCall = {
      id: call.id ?? undefined,
      name: call.function.name,
      arguments: call.function.arguments ?? "",
      origin: "native" as const,
    };
    events.push(...writer.writeToolCall(toolCall, path));
  });
  events.push(...writer.endAnswer());
  return collectContentBlocks(events);
}
