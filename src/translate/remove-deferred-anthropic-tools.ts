/**
 * Drops the tools an Anthropic request marks `defer_loading: true`. On Anthropic's servers
 * such a tool stays hidden until server-side tool search surfaces it; a local backend has no
 * tool search, so it would show the model a tool it must never call (Claude Code's
 * `DeferredToolPlaceholder` says so in its description).
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * Removes deferred tools, each with a `dropped-tool` warning, and deletes the then
 * meaningless `defer_loading` key from the tools that stay. The input is never mutated; a
 * tool without the key is returned as the same object.
 *
 * @example
 * removeDeferredAnthropicTools([
 *   { name: "Bash", input_schema: { type: "object" } },
 *   { name: "DeferredToolPlaceholder", input_schema: { type: "object" }, defer_loading: true },
 * ]);
 * // => { value: [{ name: "Bash", input_schema: { type: "object" } }],
 * //      warnings: [{ code: "dropped-tool", path: "tools[1]", message: "…" }] }
 */
export function removeDeferredAnthropicTools(tools: ToolParam[]): Translated<ToolParam[]> {
  const warnings: TranslationWarning[] = [];
  const kept: ToolParam[] = [];
  tools.forEach((tool, index) => {
    if (tool.defer_loading === true) {
      warnings.push({
        code: "dropped-tool",
        path: `tools[${index}]`,
        message: `Tool "${tool.name}" is marked defer_loading, which needs Anthropic's server-side tool search; dropped.`,
      });
      return;
    }
    if (!("defer_loading" in tool)) {
      kept.push(tool);
      return;
    }
    const { defer_loading: _ignored, ...rest } = tool;
    kept.push(rest);
  });
  return { value: kept, warnings };
}
