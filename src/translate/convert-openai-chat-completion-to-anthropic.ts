/**
 * Converts a whole (non-streamed) OpenAI chat completion into the Anthropic Message Claude Code
 * expects: thinking first, then text with any calls the model wrote as text, then one tool_use
 * block per structured call, each checked against its tool (tool-call-gate.ts).
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { ChatCompletion } from "../protocol/openai/chat-response-schema";
import type { InvalidToolCall } from "../tools/build-reask-request";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
import { generateToolUseId, type ToolUseIdGenerator } from "./generate-tool-use-id";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import { ToolCallGate, type ToolCallHandling } from "./tool-call-gate";
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

  const gate = new ToolCallGate(context.toolCalls, context.generateToolUseId ?? generateToolUseId);
  const content = choice ? convertChoiceContent(choice, gate, warnings) : [];
  const invalid = gate.takeInvalidCalls();
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
    invalid: { text: content.map((block) => (block.type === "text" ? block.text : "")).join(""), calls: invalid },
  };
}

function convertChoiceContent(choice: ChatChoice, gate: ToolCallGate, warnings: TranslationWarning[]): ContentBlock[] {
  const { message } = choice;
  const content: ContentBlock[] = [];
  // llama-server and older vLLM say `reasoning_content`; Ollama and newer vLLM say `reasoning`.
  const reasoning = message.reasoning_content || message.reasoning;
  // Local engines cannot sign thinking; "" is what Claude Code accepts from non-Anthropic servers.
  if (reasoning) content.push({ type: "thinking", thinking: reasoning, signature: "" });
  if (message.content) content.push(...convertText(message.content, gate, warnings));

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
    const block = gate.admit(toolCall, path, warnings);
    if (block) content.push(block);
  });
  return content;
}

/** Text, with the calls a model wrote as text taken out as tool_use blocks. */
function convertText(text: string, gate: ToolCallGate, warnings: TranslationWarning[]): ContentBlock[] {
  const parser = gate.createTextParser();
  if (!parser) return [{ type: "text", text }];
  const blocks: ContentBlock[] = [];
  for (const segment of [...parser.push(text), ...parser.finish()]) {
    if (segment.type === "call") {
      const block = gate.admit({ ...segment.call, origin: segment.call.form }, "choices[0].message.content", warnings);
      if (block) blocks.push(block);
      continue;
    }
    if (segment.type === "unreadable-call") {
      const message = `a ${segment.form} tool call could not be read (${segment.reason}); sent as text`;
      warnings.push({ code: "unreadable-tool-call", path: "choices[0].message.content", message });
    }
    const last = blocks.at(-1);
    if (last?.type === "text") last.text += segment.text;
    else blocks.push({ type: "text", text: segment.text });
  }
  // Whitespace left between or around the calls carries nothing.
  return blocks.filter((block) => block.type !== "text" || block.text.trim() !== "" || blocks.length === 1);
}
