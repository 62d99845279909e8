/**
 * Prompt-based tool calling, for a model whose chat template has no tool syntax: the tools are
 * described at the end of the system prompt in the layout Hermes and Qwen models are trained on,
 * earlier calls and results become `<tool_call>` / `<tool_response>` text, and the engine gets no
 * `tools`. The calls come back as text, which TextToolCallParser turns into tool_use blocks.
 */
import type { ContentBlockParam, MessageCreateParams, MessageParam, TextBlockParam, ToolParam } from "../protocol/anthropic/messages";

export interface PromptToolOptions {
  /** Ask for one call at most per answer. */
  singleCall: boolean;
}

/**
 * The request is not mutated; without tools (or with `tool_choice: none`) it only loses them.
 *
 * @example
 * const rewritten = describeToolsInPrompt(request, { singleCall: false });
 * rewritten.tools; // undefined: the system prompt now ends with a "# Tools" section
 */
export function describeToolsInPrompt(request: MessageCreateParams, options: PromptToolOptions): MessageCreateParams {
  const { tools, tool_choice: choice, ...rest } = request;
  const described = (tools ?? []).filter((tool) => typeof tool.input_schema === "object" && tool.input_schema !== null);
  if (described.length === 0 || choice?.type === "none") return { ...rest, messages: request.messages.map(writeToolBlocksAsText) };
  const section = describeTools(described, choice, options);
  const system: TextBlockParam[] =
    request.system === undefined ? [] : typeof request.system === "string" ? [{ type: "text", text: request.system }] : [...request.system];
  return { ...rest, system: [...system, { type: "text", text: section }], messages: request.messages.map(writeToolBlocksAsText) };
}

function describeTools(tools: readonly ToolParam[], choice: MessageCreateParams["tool_choice"], options: PromptToolOptions): string {
  const signatures = tools.map((tool) =>
    JSON.stringify({
      type: "function",
      function: { name: tool.name, description: tool.description ?? "", parameters: withoutDialect(tool.input_schema) },
    }),
  );
  const rules: string[] = [];
  if (choice?.type === "any") rules.push("You must call at least one function.");
  if (choice?.type === "tool") rules.push(`You must call the function ${choice.name}.`);
  if (options.singleCall || (choice && "disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use)) {
    rules.push("Call at most one function per answer.");
  }
  return [
    "# Tools\n\nYou may call one or more functions to assist with the user query.",
    `You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n${signatures.join("\n")}\n</tools>`,
    'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>',
    ...rules,
  ].join("\n\n");
}

/** `$schema` says nothing about the arguments and only lengthens the prompt. */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** Earlier calls and results as the model would have written and read them as text. */
function writeToolBlocksAsText(message: MessageParam): MessageParam {
  if (typeof message.content === "string" || !message.content.some((block) => block.type === "tool_use" || block.type === "tool_result")) {
    return message;
  }
  const content: ContentBlockParam[] = [];
  for (const block of message.content) {
    if (block.type === "tool_use") {
      content.push(textBlock(`<tool_call>\n${JSON.stringify({ name: block.name, arguments: block.input })}\n</tool_call>`));
    } else if (block.type === "tool_result") {
      const parts = typeof block.content === "string" || block.content === undefined ? [] : block.content;
      const text = typeof block.content === "string" ? block.content : parts.map(describeResultPart).join("\n");
      content.push(textBlock(`<tool_response>\n${block.is_error === true ? "Error: " : ""}${text}\n</tool_response>`));
      // Images a tool returned stay images, after the result that brought them.
      content.push(...parts.filter((part) => part.type === "image"));
    } else {
      content.push(block);
    }
  }
  return { ...message, content };
}

function describeResultPart(part: unknown): string {
  const record = part as Record<string, unknown>;
  if (typeof record.text === "string") return record.text;
  if (record.type === "tool_reference") return `Tool loaded: ${String(record.tool_name)}`;
  return "";
}

function textBlock(text: string): TextBlockParam {
  return { type: "text", text };
}
