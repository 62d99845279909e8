/**
 * Which declared tools a local engine is offered as functions: client tools with an object
 * input schema. Server tools (`web_search_…`) and Anthropic-defined ones (`bash_…`) carry no
 * schema a local model could follow, so the conversion drops them and calls are not checked
 * against them.
 */
import type { ToolParam } from "../protocol/anthropic/messages";

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
