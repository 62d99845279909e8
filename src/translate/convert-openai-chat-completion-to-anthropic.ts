/**
 * Converts a whole (non-streamed) OpenAI chat completion into the Anthropic Message Claude Code
 * expects: thinking first, then text, then one tool_use block per call, as Anthropic orders them.
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { ChatCompletion } from "../protocol/openai/chat-response-schema";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
import { generateToolUseId, type ToolUseIdGenerator } from "./generate-tool-use-id";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import { repairToolCallArguments } from "./repair-tool-call-arguments";
import type { Translated, TranslationWarning } from "./translation-warning";

export interface ChatCompletionConversionContext {
  /** The model name the client asked for; Claude Code expects to see it back. */
  requestModel: string;
  messageId: string;
  /** The request's `stop_sequences`, to tell which stop the engine reports. */
  stopSequences?: string[];
  generateToolUseId?: ToolUseIdGenerator;
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
): Translated<Message> {
  const warnings: TranslationWarning[] = [];
  const choice = completion.choices[0];
  if (completion.choices.length !== 1) {
    warnings.push({
      code: "unexpected-choice-count",
      path: "choices",
      message: `expected one choice, got ${completion.choices.length}; only the first is used`,
    });
  }

  const content = choice ? convertChoiceContent(choice, context.generateToolUseId ?? generateToolUseId, warnings) : [];
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
  };
}

function convertChoiceContent(choice: ChatChoice, generateId: ToolUseIdGenerator, warnings: TranslationWarning[]): ContentBlock[] {
  const { message } = choice;
  const content: ContentBlock[] = [];
  // llama-server and older vLLM say `reasoning_content`; Ollama and newer vLLM say `reasoning`.
  const reasoning = message.reasoning_content || message.reasoning;
  // Local engines cannot sign thinking; "" is what Claude Code accepts from non-Anthropic servers.
  if (reasoning) content.push({ type: "thinking", thinking: reasoning, signature: "" });
  if (message.content) content.push({ type: "text", text: message.content });

  (message.tool_calls ?? []).forEach((call, index) => {
    const path = `choices[0].message.tool_calls[${index}]`;
    if (!call.function.name) {
      warnings.push({ code: "tool-call-without-name", path, message: "dropped a tool call the engine did not name" });
      return;
    }
    const repaired = repairToolCallArguments(call.function.arguments ?? "", `${path}.function.arguments`);
    warnings.push(...repaired.warnings);
    content.push({ type: "tool_use", id: call.id || generateId(), name: call.function.name, input: repaired.value.input });
  });
  return content;
}
