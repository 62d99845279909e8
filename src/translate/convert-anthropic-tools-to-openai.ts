/**
 * Converts Anthropic tool definitions to OpenAI chat-completions function tools.
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { ChatFunctionTool } from "../protocol/openai/chat-request";
import { adaptToolSchema } from "./adapt-tool-schema";
import { describeDroppedTool, isFunctionTool } from "./is-function-tool";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * Keys of a tool that the conversion reads or may ignore without loss: `cache_control` has no
 * chat-completions equivalent (prompt caching is the backend's own business there), and
 * `defer_loading: false` means nothing.
 */
const UNDERSTOOD_KEYS: ReadonlySet<string> = new Set([
  "name",
  "description",
  "input_schema",
  "type",
  "strict",
  "cache_control",
  "defer_loading",
]);

/**
 * Each client tool becomes `{ type: "function", function: { name, description, parameters } }`
 * with its schema passed through {@link adaptToolSchema}. Tools the backend cannot run
 * ({@link isFunctionTool}) are dropped with a `dropped-tool` warning: Anthropic server tools
 * (`web_search_…`, `code_execution_…`) and Anthropic-defined client tools (`bash_…`,
 * `text_editor_…`), which carry no schema because Claude knows them by heart and a local model
 * does not. Other unknown keys of a tool are dropped with a `dropped-field` warning.
 *
 * @example
 * convertAnthropicToolsToOpenAI([{ name: "Read", description: "Read a file", input_schema: { type: "object" } }]);
 * // => { value: [{ type: "function", function: { name: "Read", description: "Read a file", parameters: { type: "object" } } }], warnings: [] }
 */
export function convertAnthropicToolsToOpenAI(tools: ToolParam[]): Translated<ChatFunctionTool[]> {
  const warnings: TranslationWarning[] = [];
  const converted: ChatFunctionTool[] = [];
  tools.forEach((tool, index) => {
    const path = `tools[${index}]`;
    if (!isFunctionTool(tool)) {
      warnings.push(describeDroppedTool(tool, index));
      return;
    }
    for (const key of Object.keys(tool)) {
      if (UNDERSTOOD_KEYS.has(key) || tool[key] === undefined || tool[key] === null) continue;
      const message = `Tool field \`${key}\` has no chat-completions equivalent; dropped.`;
      warnings.push({ code: "dropped-field", path: `${path}.${key}`, message });
    }
    const hasDescription = typeof tool.description === "string" && tool.description !== "";
    converted.push({
      type: "function",
      function: {
        name: tool.name,
        ...(hasDescription ? { description: tool.description } : {}),
        parameters: adaptToolSchema(tool.input_schema),
        ...(tool.strict === true ? { strict: true } : {}),
      },
    });
  });
  return { value: converted, warnings };
}
