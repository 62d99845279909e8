/**
 * Which deferred tools a conversation has loaded through Claude Code's ToolSearch, in the order
 * it loaded them. Claude Code 2.1.332 answers a ToolSearch call with `tool_reference` blocks
 * (`{type:"tool_reference", tool_name}`) and from then on sends the tool with
 * `defer_loading: true`; its ToolSearch description also allows the schemas themselves, as
 * `<function>{"description","name","parameters"}</function>` lines inside a `<functions>` block.
 */
import type { MessageParam, ToolParam } from "../protocol/anthropic/messages";

export interface LoadedDeferredTools {
  /** Names in the order the conversation loaded them, each once. */
  names: string[];
  /** Tools whose schema the conversation carries (from a `<functions>` block), by name. */
  schemas: Map<string, ToolParam>;
}

const FUNCTION_LINE = /<function>([\s\S]*?)<\/function>/g;

/**
 * `<functions>` text counts only in the result of a call to ToolSearch: elsewhere (a file read,
 * a command's output) it is data, not a loaded tool.
 *
 * @example
 * findLoadedDeferredTools(messages).names; // ["WebFetch"]
 */
export function findLoadedDeferredTools(messages: readonly MessageParam[]): LoadedDeferredTools {
  const names: string[] = [];
  const schemas = new Map<string, ToolParam>();
  const toolSearchCalls = new Set<string>();
  const load = (name: unknown) => {
    if (typeof name === "string" && name !== "" && !names.includes(name)) names.push(name);
  };
  for (const message of messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "tool_use" && block.name === "ToolSearch") toolSearchCalls.add(block.id);
      if (block.type !== "tool_result" || !Array.isArray(block.content)) continue;
      for (const part of block.content as unknown as Array<Record<string, unknown>>) {
        if (part.type === "tool_reference") load(part.tool_name);
        if (part.type === "text" && typeof part.text === "string" && toolSearchCalls.has(block.tool_use_id)) {
          for (const tool of readFunctionLines(part.text)) {
            load(tool.name);
            schemas.set(tool.name, tool);
          }
        }
      }
    }
  }
  return { names, schemas };
}

function readFunctionLines(text: string): ToolParam[] {
  if (!text.includes("<function>")) return [];
  const tools: ToolParam[] = [];
  for (const match of text.matchAll(FUNCTION_LINE)) {
    try {
      const parsed = JSON.parse(match[1]!) as { name?: unknown; description?: unknown; parameters?: unknown };
      if (typeof parsed.name !== "string" || typeof parsed.parameters !== "object" || parsed.parameters === null) continue;
      const description = typeof parsed.description === "string" ? { description: parsed.description } : {};
      tools.push({ name: parsed.name, ...description, input_schema: parsed.parameters as Record<string, unknown> });
    } catch {
      // a line that is not a tool's JSON loads nothing
    }
  }
  return tools;
}
