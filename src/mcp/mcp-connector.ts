/**
 * Anthropic's MCP connector answered locally: a request's `mcp_servers` (URL, name, bearer token,
 * tool configuration) and `mcp_toolset` entries become proxy-run tools. Sessions are kept per
 * URL and token, reused by the conversation's next turns and closed once idle.
 */
import { InvalidRequestError } from "../errors/proxy-error";
import type { Logger } from "../log/logger";
import type { MCPServerURLDefinitionParam, MCPToolsetParam, ToolParam } from "../protocol/anthropic/messages";
import type { ProxyTool } from "../proxy-tools/proxy-tool";
import { createMcpProxyTool } from "./create-mcp-proxy-tool";
import { McpConnection } from "./mcp-connection";
import { type ConnectorUrlPolicy, refuseConnectorUrl } from "./refuse-connector-url";

export interface McpConnectorSettings extends ConnectorUrlPolicy {
  connectTimeoutMs: number;
  timeoutMs: number;
  idleMs: number;
  clientVersion: string;
}

interface Session {
  opening: Promise<McpConnection>;
  lastUsedAt: number;
}

export class McpConnector {
  readonly #sessions = new Map<string, Session>();
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly settings: McpConnectorSettings,
    private readonly logger: Logger,
  ) {
    this.#sweeper = setInterval(() => this.#closeIdle(), Math.max(1000, settings.idleMs / 2));
    this.#sweeper.unref?.();
  }

  /**
   * The enabled tools of every server the request names, connecting where no session is open.
   *
   * @throws InvalidRequestError naming the server that could not be reached
   * @example
   * const tools = await connector.toolsFor(request.mcp_servers, request.tools ?? [], signal);
   */
  async toolsFor(servers: readonly MCPServerURLDefinitionParam[], tools: readonly ToolParam[], signal: AbortSignal): Promise<ProxyTool[]> {
    const toolsets = new Map(
      tools
        .filter((tool) => tool.type === "mcp_toolset")
        .map((tool) => [(tool as unknown as MCPToolsetParam).mcp_server_name, tool as unknown as MCPToolsetParam]),
    );
    const perServer = await Promise.all(
      servers.map(async (server, index) => {
        if (server.tool_configuration?.enabled === false) return [];
        const refused = refuseConnectorUrl(server.url, this.settings);
        if (refused !== undefined) {
          throw new InvalidRequestError(
            `MCP server "${server.name}" at ${server.url} is not connected to: ${refused}`,
            `mcp_servers.${index}`,
          );
        }
        const connection = await this.#connect(server, signal).catch((error: unknown) => {
          if (signal.aborted) throw error;
          const detail = error instanceof Error ? error.message : String(error);
          throw new InvalidRequestError(
            `could not connect to MCP server "${server.name}" at ${server.url}: ${detail}`,
            `mcp_servers.${index}`,
          );
        });
        return connection.tools
          .filter((tool) => isEnabled(server, toolsets.get(server.name), tool.name))
          .map((tool) =>
            createMcpProxyTool({
              server: server.name,
              tool,
              connection,
              timeoutMs: this.settings.timeoutMs,
              idempotent: false,
              metricsLabel: "connector",
            }),
          );
      }),
    );
    return perServer.flat();
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => this.#closeSession(session)));
  }

  async #connect(server: MCPServerURLDefinitionParam, signal: AbortSignal): Promise<McpConnection> {
    const key = JSON.stringify([server.url, server.authorization_token ?? ""]);
    const known = this.#sessions.get(key);
    if (known) {
      known.lastUsedAt = performance.now();
      return known.opening;
    }
    const headers: Record<string, string> = server.authorization_token ? { authorization: `Bearer ${server.authorization_token}` } : {};
    // Assigned below, before any callback can run.
    let session: Session | undefined;
    const opening = McpConnection.open(
      { kind: "http", url: server.url, headers },
      {
        clientVersion: this.settings.clientVersion,
        timeoutMs: this.settings.connectTimeoutMs,
        signal,
        onClosed: () => this.#forget(key, session),
        onProblem: (message, error) => this.logger.warn(message, { mcpServer: server.name, error }),
      },
    );
    session = { opening, lastUsedAt: performance.now() };
    this.#sessions.set(key, session);
    // A failed start is not kept: the next request tries again (its failure is the request's answer).
    opening.catch(() => this.#forget(key, session));
    return opening;
  }

  #forget(key: string, session: Session | undefined): void {
    if (this.#sessions.get(key) === session) this.#sessions.delete(key);
  }

  #closeIdle(): void {
    const now = performance.now();
    for (const [key, session] of this.#sessions) {
      if (now - session.lastUsedAt < this.settings.idleMs) continue;
      this.#sessions.delete(key);
      void this.#closeSession(session);
    }
  }

  /** A session that never opened has nothing to close; its failure was the request's answer. */
  async #closeSession(session: Session): Promise<void> {
    const connection = await session.opening.catch(() => undefined);
    await connection?.close().catch((error: unknown) => this.logger.debug("closing an MCP connector session failed", { error }));
  }
}

function isEnabled(server: MCPServerURLDefinitionParam, toolset: MCPToolsetParam | undefined, tool: string): boolean {
  const allowed = server.tool_configuration?.allowed_tools;
  if (allowed && !allowed.includes(tool)) return false;
  return toolset?.configs?.[tool]?.enabled ?? toolset?.default_config?.enabled ?? true;
}
