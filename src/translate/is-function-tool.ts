/**
 * Which declared tools a local engine is offered as functions: client tools with an object
 * input schema. Server tools (`web_search_…`) and Anthropic-defined ones (`bash_…`) carry no
 * schema a local model could follow, so the conversion drops them and calls are not checked
 * against them.
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * @example
 * isFunctionTool({ name: "Read", input_schema: { type: "object" } }); // true
 * isFunctionTool({ type: "web_search_20250305", name: "web_search" }); // false
 */
export function isFunctionTool(tool: ToolParam): boolean {
  // The wire type says `input_schema` is there; a server tool's declaration has none.
  const isCustom = tool.type === undefined || tool.type === null || tool.type === "custom";
  return isCustom && typeof tool.input_schema === "object" && tool.input_schema !== null && !Array.isArray(tool.input_schema);
}

/**
 * The `dropped-tool` warning for a tool that is no function tool, at `tools[index]`.
 *
 * @example
 * describeDroppedTool({ type: "web_search_20250305", name: "web_search" }, 3);
 * // => { code: "dropped-tool", path: "tools[3]", message: 'Tool "web_search" (type "web_search_20250305") has no input schema …' }
 */
export function describeDroppedTool(tool: ToolParam, index: number): TranslationWarning {
  const typed = tool.type !== undefined && tool.type !== null && tool.type !== "custom";
  return {
    code: "dropped-tool",
    path: `tools[${index}]`,
    message: `Tool "${tool.name}"${typed ? ` (type "${tool.type}")` : ""} has no input schema a local model could follow; dropped.`,
  };
}

/**
 * The function tools of a list, the others dropped with a warning each: what a local engine's own
 * Messages endpoint may be sent (llama-server would offer a server tool as a function with no
 * parameters, and the model's call of it would reach the client as a tool it never declared).
 *
 * @example
 * keepFunctionTools([read, { type: "web_search_20250305", name: "web_search" }]);
 * // => { value: [read], warnings: [{ code: "dropped-tool", path: "tools[1]", message: "…" }] }
 */
export function keepFunctionTools(tools: readonly ToolParam[]): Translated<ToolParam[]> {
  const kept: ToolParam[] = [];
  const warnings: TranslationWarning[] = [];
  tools.forEach((tool, index) => {
    if (isFunctionTool(tool)) kept.push(tool);
    else warnings.push(describeDroppedTool(tool, index));
  });
  return { value: kept, warnings };
}
