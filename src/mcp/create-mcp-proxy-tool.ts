/**
 * An MCP server's tool as a proxy-run tool: the model calls it as `mcp__<server>__<tool>`, the
 * client sees `mcp_tool_use` and `mcp_tool_result` blocks as Anthropic's MCP connector shows
 * them, and a call goes to the server's live session.
 */
import type { ContentBlock } from "../protocol/anthropic/messages";
import { toMcpToolName } from "../proxy-tools/mcp-tool-name";
import { type ProxyTool, textOutput } from "../proxy-tools/proxy-tool";
import type { McpConnection, McpToolInfo } from "./mcp-connection";

export interface McpProxyToolSettings {
  /** The server's name, as configured or as the request's `mcp_servers` entry names it. */
  server: string;
  tool: McpToolInfo;
  connection: Pick<McpConnection, "callTool" | "isOpen">;
  timeoutMs: number;
  idempotent: boolean;
  metricsLabel: string;
}

/**
 * @example
 * const tool = createMcpProxyTool({ server: "docs", tool: { name: "search", inputSchema }, connection, timeoutMs: 60_000, idempotent: true, metricsLabel: "mcp__docs__search" });
 * tool.name; // "mcp__docs__search"
 */
export function createMcpProxyTool(settings: McpProxyToolSettings): ProxyTool {
  const { server, tool, connection } = settings;
  return {
    name: toMcpToolName(server, tool.name),
    description: tool.description ?? `Tool ${tool.name} of the MCP server ${server}.`,
    inputSchema: tool.inputSchema,
    idempotent: settings.idempotent,
    timeoutMs: settings.timeoutMs,
    metricsLabel: settings.metricsLabel,
    async run(input, signal) {
      try {
        return await connection.callTool(tool.name, input, signal, settings.timeoutMs);
      } catch (error) {
        if (signal.aborted) throw error;
        const detail = error instanceof Error ? error.message : String(error);
        if (!connection.isOpen) return textOutput(`The MCP server "${server}" stopped while running ${tool.name} (${detail}).`, true);
        return textOutput(`The MCP server "${server}" could not run ${tool.name}: ${detail}`, true);
      }
    },
    describeCall: (id, input): ContentBlock => ({ type: "mcp_tool_use", id, name: tool.name, server_name: server, input }),
    describeResult: (id, output): ContentBlock => ({
      type: "mcp_tool_result",
      tool_use_id: id,
      is_error: output.isError,
      content: output.content,
    }),
  };
}
