/**
 * Keeps one configured MCP server running: starts it, offers its allowed tools while its session
 * lives, and when the session ends withdraws them and starts it again after a wait that doubles
 * with each start that fails or dies soon after, so the model is never offered a tool that
 * cannot run and a crashing server is not restarted in a tight loop.
 */
import type { McpServerConfig } from "../config/mcp-config-schema";
import type { Logger } from "../log/logger";
import type { ProxyTool } from "../proxy-tools/proxy-tool";
import { createMcpProxyTool } from "./create-mcp-proxy-tool";
import { McpConnection, type McpToolInfo, type McpTransportSpec } from "./mcp-connection";

export interface SupervisorSettings {
  startTimeoutMs: number;
  restartMinMs: number;
  restartMaxMs: number;
  clientVersion: string;
}

export type SupervisedState = "starting" | "up" | "down" | "closed";

export class McpServerSupervisor {
  #state: SupervisedState = "starting";
  #connection: McpConnection | undefined;
  #tools: ProxyTool[] = [];
  /** Starts in a row that failed or were followed by an early stop. */
  #failures = 0;
  #upSince = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly name: string,
    private readonly config: McpServerConfig,
    private readonly transport: McpTransportSpec,
    private readonly settings: SupervisorSettings,
    private readonly logger: Logger,
  ) {}

  get state(): SupervisedState {
    return this.#state;
  }

  /** The tools to offer now: none unless the server is up. */
  tools(): readonly ProxyTool[] {
    return this.#state === "up" ? this.#tools : [];
  }

  /** Resolves once the first start succeeded or failed (a failure schedules the next); never rejects. */
  async start(): Promise<void> {
    this.#state = "starting";
    try {
      const connection = await McpConnection.open(this.transport, {
        clientVersion: this.settings.clientVersion,
        timeoutMs: this.settings.startTimeoutMs,
        onToolsChanged: (tools) => {
          if (this.#connection !== connection) return;
          this.#tools = this.#toProxyTools(connection, tools);
          this.logger.info("MCP server's tools changed", { server: this.name, tools: this.#tools.length });
        },
        onProblem: (message, error) => this.logger.warn(message, { server: this.name, error }),
        onClosed: () => this.#onClosed(connection),
        onStderr: (line) => this.logger.debug("MCP server stderr", { server: this.name, line }),
      });
      if (this.#isClosed()) return void (await connection.close());
      this.#connection = connection;
      this.#tools = this.#toProxyTools(connection, connection.tools);
      this.#state = "up";
      this.#upSince = performance.now();
      this.logger.info("MCP server up", { server: this.name, tools: this.#tools.length });
    } catch (error) {
      if (this.#isClosed()) return;
      this.#failures++;
      this.#scheduleRestart("MCP server did not start", error);
    }
  }

  async close(): Promise<void> {
    this.#state = "closed";
    clearTimeout(this.#timer);
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
  }

  /**
   * A streamable-HTTP session does not end when its server goes away; a call failing below the
   * tool asks whether the server still answers, and one that does not is treated as stopped.
   */
  async #checkAlive(connection: McpConnection): Promise<void> {
    if (!connection.isOpen || this.#connection !== connection) return;
    try {
      await connection.ping(this.settings.startTimeoutMs);
    } catch {
      await connection
        .close()
        .catch((error: unknown) => this.logger.debug("closing a dead MCP session failed", { server: this.name, error }));
      this.#onClosed(connection);
    }
  }

  /** Read through a method: close() may have run while start() awaited. */
  #isClosed(): boolean {
    return this.#state === "closed";
  }

  #onClosed(connection: McpConnection): void {
    if (this.#connection !== connection || this.#state === "closed") return;
    this.#connection = undefined;
    this.#tools = [];
    // A server that stays up a while has recovered; one that dies soon after starting has not.
    this.#failures = performance.now() - this.#upSince >= this.settings.restartMaxMs ? 1 : this.#failures + 1;
    this.#scheduleRestart("MCP server stopped; its tools are withdrawn until it is back");
  }

  #scheduleRestart(message: string, error?: unknown): void {
    this.#state = "down";
    const delayMs = Math.min(this.settings.restartMaxMs, this.settings.restartMinMs * 2 ** (this.#failures - 1));
    this.logger.warn(message, { server: this.name, restartInMs: delayMs, error });
    this.#timer = setTimeout(() => void this.start(), delayMs);
    this.#timer.unref?.();
  }

  #toProxyTools(connection: McpConnection, tools: readonly McpToolInfo[]): ProxyTool[] {
    const { config } = this;
    const allowed = config.tools === undefined ? undefined : new Set(config.tools);
    const idempotent = new Set(config.idempotent);
    const calls: Pick<McpConnection, "callTool" | "isOpen"> = {
      get isOpen() {
        return connection.isOpen;
      },
      callTool: (name, input, signal, timeoutMs) =>
        connection.callTool(name, input, signal, timeoutMs).catch((error: unknown) => {
          if (!signal.aborted) void this.#checkAlive(connection);
          throw error;
        }),
    };
    return tools
      .filter((tool) => allowed === undefined || allowed.has(tool.name))
      .map((tool) =>
        createMcpProxyTool({
          server: this.name,
          tool,
          connection: calls,
          timeoutMs: config.toolTimeoutsMs[tool.name] ?? config.timeoutMs,
          idempotent: idempotent.has("*") || idempotent.has(tool.name),
          metricsLabel: `${this.name}/${tool.name}`,
        }),
      );
  }
}
