/**
 * The MCP servers of the configuration, each kept running by its supervisor: the tools on offer
 * right now are those of the servers that are up, in the order the configuration names them.
 */
import { ConfigError } from "../config/config-error";
import type { McpConfig, McpServerConfig } from "../config/mcp-config-schema";
import type { Logger } from "../log/logger";
import type { ProxyTool } from "../proxy-tools/proxy-tool";
import type { McpTransportSpec } from "./mcp-connection";
import { McpServerSupervisor, type SupervisedState } from "./mcp-server-supervisor";

export interface McpServerStatus {
  name: string;
  state: SupervisedState;
  tools: number;
}

export interface McpServersOptions {
  logger: Logger;
  env: Record<string, string | undefined>;
  clientVersion: string;
}

export class McpServers {
  readonly #supervisors: McpServerSupervisor[];

  /** @throws ConfigError when a `headersFromEnv` variable is not set */
  constructor(config: McpConfig, options: McpServersOptions) {
    const settings = { ...config, clientVersion: options.clientVersion };
    this.#supervisors = Object.entries(config.servers).map(
      ([name, server]) => new McpServerSupervisor(name, server, toTransportSpec(name, server, options.env), settings, options.logger),
    );
  }

  /**
   * Starts every server and waits for each first start to succeed or fail; a failed one is
   * retried in the background.
   *
   * @example
   * const servers = new McpServers(config.mcp, { logger, env: process.env, clientVersion: "1.0.0" });
   * await servers.start();
   * servers.tools(); // [mcp__docs__search, …]
   */
  async start(): Promise<void> {
    await Promise.all(this.#supervisors.map((supervisor) => supervisor.start()));
  }

  tools(): ProxyTool[] {
    return this.#supervisors.flatMap((supervisor) => supervisor.tools());
  }

  statuses(): McpServerStatus[] {
    return this.#supervisors.map((supervisor) => ({ name: supervisor.name, state: supervisor.state, tools: supervisor.tools().length }));
  }

  async close(): Promise<void> {
    await Promise.all(this.#supervisors.map((supervisor) => supervisor.close()));
  }
}

function toTransportSpec(name: string, server: McpServerConfig, env: Record<string, string | undefined>): McpTransportSpec {
  if (server.command !== undefined) return { kind: "stdio", command: server.command, args: server.args, env: server.env, cwd: server.cwd };
  const headers = { ...server.headers };
  for (const [header, variable] of Object.entries(server.headersFromEnv)) {
    const value = env[variable];
    if (value === undefined) {
      throw new ConfigError([
        { path: `mcp.servers.${name}.headersFromEnv.${header}`, message: `environment variable ${variable} is not set` },
      ]);
    }
    headers[header] = value;
  }
  return { kind: "http", url: server.url!, headers };
}
