/**
 * Declares the deferred tools a conversation has loaded (src/tool-calls/find-loaded-deferred-tools.ts)
 * to the engine: an engine that constrains calls to the declared tools (llama-server's tool
 * grammar) would otherwise refuse the call the model makes after ToolSearch. They go after the
 * other tools, in the order they were loaded, so the prompt's prefix changes once per loaded
 * tool, not on every turn (Claude Code itself slots them in alphabetically).
 */
import type { ToolParam } from "../protocol/anthropic/messages";
import type { LoadedDeferredTools } from "../tool-calls/find-loaded-deferred-tools";
import { removeDeferredAnthropicTools } from "./remove-deferred-anthropic-tools";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * Deferred tools that were not loaded are dropped as before, each with a `dropped-tool` warning;
 * a loaded one is kept without its `defer_loading` key, or built from the schema the
 * conversation carries when the request does not list it. What was loaded is found by the
 * caller (findLoadedDeferredTools), so that a resent tool list can be cleaned once per load.
 *
 * @example
 * declareLoadedDeferredTools(
 *   [{ name: "Bash", input_schema: {} }, { name: "WebFetch", input_schema: {}, defer_loading: true }],
 *   findLoadedDeferredTools(messagesWithAToolSearchResultFor("WebFetch")),
 * ).value.map((tool) => tool.name); // ["Bash", "WebFetch"]
 */
export function declareLoadedDeferredTools(tools: ToolParam[], loaded: LoadedDeferredTools): Translated<ToolParam[]> {
  const base = removeDeferredAnthropicTools(tools);
  if (loaded.names.length === 0) return base;

  const declared = new Set(base.value.map((tool) => tool.name));
  const appended: ToolParam[] = [];
  for (const name of loaded.names) {
    if (declared.has(name)) continue;
    const listed = tools.find((tool) => tool.name === name && tool.defer_loading === true);
    const tool = listed ? withoutDeferLoading(listed) : loaded.schemas.get(name);
    if (tool === undefined) continue;
    appended.push(tool);
    declared.add(name);
  }
  const warnings: TranslationWarning[] = base.warnings.filter((warning) => {
    const index = Number(/^tools\[(\d+)\]$/.exec(warning.path)?.[1]);
    return !(warning.code === "dropped-tool" && declared.has(tools[index]?.name ?? ""));
  });
  return { value: appended.length === 0 ? base.value : [...base.value, ...appended], warnings };
}

function withoutDeferLoading(tool: ToolParam): ToolParam {
  const { defer_loading: _loaded, ...rest } = tool;
  return rest;
}
