/**
 * One live session with an MCP server through the official SDK client, over stdio (a child
 * process) or streamable HTTP: it lists the server's tools when it opens and again whenever the
 * server says they changed, calls them, and reports when the session ends.
 */
import { Client } from "@modelcontextprotocol/sdk/client";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types";
import { convertMcpToolResult, type McpCallResult } from "./convert-mcp-tool-result";

export type McpTransportSpec =
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { kind: "http"; url: string; headers: Record<string, string> };

export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface McpConnectionOptions {
  /** What anyclaude calls itself in `initialize`. */
  clientVersion: string;
  /** Opening and the first listing together. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** The server's tool list changed and was read again. */
  onToolsChanged?: (tools: McpToolInfo[]) => void;
  /** Listing again after a change failed; the old list stays. */
  onProblem?: (message: string, error: unknown) => void;
  /** The session ended (the process exited, the connection closed) without `close()`. */
  onClosed?: () => void;
  /** A line a stdio server wrote to stderr. */
  onStderr?: (line: string) => void;
}

export class McpConnection {
  #tools: McpToolInfo[] = [];
  #closing = false;
  #closed = false;

  private constructor(private readonly client: Client) {}

  /**
   * @example
   * const connection = await McpConnection.open({ kind: "http", url: "http://127.0.0.1:3000/mcp", headers: {} }, { clientVersion: "1.0.0", timeoutMs: 10_000 });
   * connection.tools; // [{ name: "search", inputSchema: {…} }]
   */
  static async open(spec: McpTransportSpec, options: McpConnectionOptions): Promise<McpConnection> {
    const transport = createTransport(spec, options.onStderr);
    const client = new Client({ name: "anyclaude", version: options.clientVersion }, { capabilities: {} });
    const connection = new McpConnection(client);
    client.onclose = () => {
      connection.#closed = true;
      if (!connection.#closing) options.onClosed?.();
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      try {
        connection.#tools = await connection.#listTools({ timeout: options.timeoutMs });
        options.onToolsChanged?.(connection.#tools);
      } catch (error) {
        options.onProblem?.("could not list the tools again after the server said they changed", error);
      }
    });
    const request = { timeout: options.timeoutMs, signal: options.signal };
    try {
      await client.connect(transport, request);
      connection.#tools = await connection.#listTools(request);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  get tools(): readonly McpToolInfo[] {
    return this.#tools;
  }

  /** False once the session ended, whoever ended it. */
  get isOpen(): boolean {
    return !this.#closed;
  }

  /** Rejects when the call fails below the tool (the session ended, the timeout passed); a tool's own failure is an error output. */
  async callTool(name: string, input: unknown, signal: AbortSignal, timeoutMs: number) {
    const args = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    const result = await this.client.callTool({ name, arguments: args }, undefined, { signal, timeout: timeoutMs });
    return convertMcpToolResult(result as McpCallResult);
  }

  /** Rejects when the server does not answer in time. */
  async ping(timeoutMs: number): Promise<void> {
    await this.client.ping({ timeout: timeoutMs });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.client.close();
  }

  async #listTools(options: { timeout: number; signal?: AbortSignal }): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor === undefined ? undefined : { cursor }, options);
      for (const tool of page.tools) tools.push({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return tools;
  }
}

function createTransport(spec: McpTransportSpec, onStderr?: (line: string) => void): Transport {
  if (spec.kind === "http") return new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } });
  const transport = new StdioClientTransport({ command: spec.command, args: spec.args, env: spec.env, cwd: spec.cwd, stderr: "pipe" });
  // Read it always: a pipe nobody drains fills up and stops the server.
  let pending = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString("utf8")).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onStderr?.(line);
  });
  return transport;
}
