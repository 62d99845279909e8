/**
 * An MCP `tools/call` result as the model reads it: text blocks. Anthropic's `mcp_tool_result`
 * carries text only, so images, audio and binary resources are named rather than sent, and a
 * result that is only structured content is given as its JSON.
 */
import type { TextBlock } from "../protocol/anthropic/messages";
import type { ProxyToolOutput } from "../proxy-tools/proxy-tool";

/** The parts of MCP's CallToolResult read here (the SDK's type, loosely). */
export interface McpCallResult {
  content?: Array<Record<string, unknown> & { type: string }>;
  structuredContent?: unknown;
  isError?: boolean;
  /** Older servers answer `{ toolResult }` instead. */
  toolResult?: unknown;
}

/**
 * @example
 * convertMcpToolResult({ content: [{ type: "text", text: "Echo: hi" }] });
 * // => { content: [{ type: "text", text: "Echo: hi" }], isError: false }
 */
export function convertMcpToolResult(result: McpCallResult): ProxyToolOutput {
  const blocks: TextBlock[] = (result.content ?? []).map((part) => ({ type: "text", text: describePart(part) }));
  if (blocks.length === 0 && result.structuredContent !== undefined)
    blocks.push({ type: "text", text: JSON.stringify(result.structuredContent) });
  if (blocks.length === 0 && result.toolResult !== undefined) blocks.push({ type: "text", text: JSON.stringify(result.toolResult) });
  if (blocks.length === 0) blocks.push({ type: "text", text: "(the tool returned nothing)" });
  return { content: blocks, isError: result.isError === true };
}

function describePart(part: Record<string, unknown> & { type: string }): string {
  switch (part.type) {
    case "text":
      return String(part.text ?? "");
    case "image":
    case "audio":
      return `[${part.type} ${String(part.mimeType)}, ${Math.floor((String(part.data ?? "").length * 3) / 4)} bytes, not shown]`;
    case "resource_link":
      return `[resource ${String(part.name ?? "")} ${String(part.uri)}]`.replace("  ", " ");
    case "resource": {
      const resource = (part.resource ?? {}) as { uri?: unknown; text?: unknown; mimeType?: unknown };
      if (typeof resource.text === "string") return resource.text;
      return `[resource ${String(resource.uri)} (${String(resource.mimeType ?? "binary")}), not shown]`;
    }
    default:
      return JSON.stringify(part);
  }
}
