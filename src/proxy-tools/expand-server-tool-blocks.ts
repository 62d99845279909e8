/**
 * Turns the blocks of tools the proxy ran (`mcp_tool_use` / `mcp_tool_result`, `server_tool_use`
 * / `*_tool_result`), as a client sends them back in later turns, into the plain tool_use and
 * tool_result pairs a model reads: an assistant turn is split after each run of results.
 */
import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "../protocol/anthropic/messages";
import { toMcpToolName } from "./mcp-tool-name";

type Block = { type: string } & Record<string, unknown>;

/** What a server tool's result block tells the model; web search adds its own reader. */
export type ServerToolResultReader = (block: Block) => Pick<ToolResultBlockParam, "content" | "is_error">;

/**
 * The input is never mutated; messages without such blocks are returned as they are (the same
 * objects, so what the JSON parser shares stays shared). Consecutive user turns this leaves
 * (results, then the client's own tool results) are merged by normalization afterwards.
 *
 * @example
 * expandServerToolBlocks([{ role: "assistant", content: [
 *   { type: "mcp_tool_use", id: "mcptoolu_1", name: "search", server_name: "docs", input: { q: "x" } },
 *   { type: "mcp_tool_result", tool_use_id: "mcptoolu_1", is_error: false, content: [{ type: "text", text: "found" }] },
 *   { type: "text", text: "It says found." },
 * ] }]);
 * // => assistant [tool_use mcp__docs__search], user [tool_result], assistant [text]
 */
export function expandServerToolBlocks(messages: MessageParam[], readers: Record<string, ServerToolResultReader> = {}): MessageParam[] {
  if (!messages.some(hasServerToolBlocks)) return messages;
  return messages.flatMap((message) => (hasServerToolBlocks(message) ? expandMessage(message, readers) : [message]));
}

/** Cited text counts: a later answer may cite an earlier turn's results without searching again. */
function hasServerToolBlocks(message: MessageParam): boolean {
  return (
    Array.isArray(message.content) &&
    message.content.some((block) => isServerToolUse(block) || isServerToolResult(block) || (block.type === "text" && block.citations))
  );
}

function expandMessage(message: MessageParam, readers: Record<string, ServerToolResultReader>): MessageParam[] {
  const content = message.content as unknown as Block[];
  if (message.role !== "assistant") {
    return [
      {
        ...message,
        content: content.map((block) => (isServerToolResult(block) ? toToolResult(block, readers) : block)) as ContentBlockParam[],
      },
    ];
  }
  const expanded: MessageParam[] = [];
  let turn: ContentBlockParam[] = [];
  let results: ToolResultBlockParam[] = [];
  let previous: Block | undefined;
  const flush = () => {
    if (turn.length > 0) expanded.push({ role: "assistant", content: turn });
    if (results.length > 0) expanded.push({ role: "user", content: results });
    turn = [];
    results = [];
  };
  for (const block of content) {
    if (isServerToolUse(block)) turn.push(toToolUse(block));
    else if (isServerToolResult(block)) results.push(toToolResult(block, readers));
    else {
      if (results.length > 0) flush();
      const text = block as unknown as TextBlockParam;
      const last = turn.at(-1);
      // Text split at its citations was one text when the model wrote it; the model reads it so, without them.
      if (text.type === "text" && previous?.type === "text" && (text.citations || previous.citations) && last?.type === "text")
        turn[turn.length - 1] = { type: "text", text: last.text + text.text };
      else turn.push(text.type === "text" && text.citations ? { type: "text", text: text.text } : text);
    }
    previous = block;
  }
  flush();
  return expanded;
}

function isServerToolUse(block: unknown): block is Block {
  const type = (block as Block | null)?.type;
  return type === "mcp_tool_use" || type === "server_tool_use";
}

function isServerToolResult(block: unknown): block is Block {
  const type = (block as Block | null)?.type;
  return typeof type === "string" && type !== "tool_result" && type.endsWith("_tool_result");
}

function toToolUse(block: Block): ToolUseBlockParam {
  const name = block.type === "mcp_tool_use" ? toMcpToolName(String(block.server_name), String(block.name)) : String(block.name);
  return { type: "tool_use", id: String(block.id), name, input: block.input ?? {} };
}

function toToolResult(block: Block, readers: Record<string, ServerToolResultReader>): ToolResultBlockParam {
  const read = readers[block.type] ?? readGenericResult;
  return { type: "tool_result", tool_use_id: String(block.tool_use_id), ...read(block) };
}

/** Text as it is; any other content (a tool's own result shape) as its JSON, which a model reads well enough. */
function readGenericResult(block: Block): Pick<ToolResultBlockParam, "content" | "is_error"> {
  const { content } = block;
  const isError = block.is_error === true || (content as { type?: unknown } | null)?.type?.toString().endsWith("_error") === true;
  if (typeof content === "string") return { content, is_error: isError };
  if (Array.isArray(content) && content.every((part) => (part as Block | null)?.type === "text")) {
    return { content: content as TextBlockParam[], is_error: isError };
  }
  return { content: JSON.stringify(content ?? null), is_error: isError };
}
