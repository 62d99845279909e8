/**
 * `aggressive` hands rarely needed tools to Claude Code's own deferred-tool mechanism: the tool
 * leaves the tool list, its name goes into the system prompt, and the model loads its schema
 * with the ToolSearch tool when it needs it (Claude Code answers `select:<name>` for any of its
 * tools). Without ToolSearch among the tools nothing is deferred: it would become impossible.
 */
import type { MessageParam, TextBlockParam, ToolParam } from "../protocol/anthropic/messages";

const TOOL_SEARCH = "ToolSearch";

/**
 * The tools to defer, in tool-list order: named in `deferTools`, not in `keep`, and only when
 * ToolSearch is there to load them.
 *
 * @example
 * chooseToolsToDefer([agent, bash, toolSearch], { deferTools: ["Agent"], keep: new Set() }); // ["Agent"]
 */
export function chooseToolsToDefer(
  tools: readonly ToolParam[],
  options: { deferTools: readonly string[]; keep: ReadonlySet<string> },
): string[] {
  if (!tools.some((tool) => tool.name === TOOL_SEARCH)) return [];
  return tools.filter((tool) => options.deferTools.includes(tool.name) && !options.keep.has(tool.name)).map((tool) => tool.name);
}

/**
 * Tools the conversation has loaded through ToolSearch (its `tool_reference` results) or
 * already called: deferring them again would take away a tool the model is using.
 *
 * @example
 * findLoadedToolNames([{ role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "tool_reference", tool_name: "Agent" }] }] }]);
 * // => Set { "Agent" }
 */
export function findLoadedToolNames(messages: readonly MessageParam[]): Set<string> {
  const names = new Set<string>();
  for (const message of messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_use") names.add(block.name);
      if (block.type !== "tool_result" || !Array.isArray(block.content)) continue;
      for (const part of block.content as unknown as Array<{ type?: unknown; tool_name?: unknown }>) {
        if (part.type === "tool_reference" && typeof part.tool_name === "string") names.add(part.tool_name);
      }
    }
  }
  return names;
}

/**
 * The line that names the tools deferred here. It goes right after Claude Code's own list of
 * deferred tools when the prompt has one, else at the end of the system prompt.
 *
 * @example
 * describeDeferredTools(["Agent", "Workflow"]);
 * // => 'Also deferred (load with ToolSearch, query "select:<name>[,<name>...]", before calling): Agent, Workflow'
 */
export function describeDeferredTools(names: readonly string[]): string {
  return `Also deferred (load with ToolSearch, query "select:<name>[,<name>...]", before calling): ${names.join(", ")}`;
}

/** Claude Code's own notice: a paragraph that opens like this, its tool names one per line. */
const DEFERRED_NOTICE = /deferred tools[^\n]*ToolSearch/i;

/**
 * @example
 * addDeferredToolsNote("Be brief.", "Also deferred (...): Agent"); // "Be brief.\n\nAlso deferred (...): Agent"
 */
export function addDeferredToolsNote(system: string | TextBlockParam[], note: string): string | TextBlockParam[] {
  if (typeof system === "string") return insertNote(system, note);
  let at = system.findIndex((block) => DEFERRED_NOTICE.test(block.text));
  if (at === -1) at = system.length - 1;
  const blocks = system.slice();
  blocks[at] = { ...system[at]!, text: insertNote(system[at]!.text, note) };
  return blocks;
}

function insertNote(text: string, note: string): string {
  const match = DEFERRED_NOTICE.exec(text);
  if (match === null) return `${text}\n\n${note}`;
  const end = text.indexOf("\n\n", match.index);
  if (end === -1) return `${text}\n\n${note}`;
  return `${text.slice(0, end)}\n\n${note}${text.slice(end)}`;
}
