/**
 * Builds what the request path needs for tools anyclaude runs itself: the configured MCP
 * servers, started and supervised. The MCP SDK is loaded only when a server is configured, so a
 * `serve` without one never holds it.
 */
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { McpServers } from "../mcp/mcp-servers";
import type { ProxyToolServices } from "./proxy-tool-step";

export interface ProxyToolServicesHandle {
  /** Undefined when no proxy-run tool can ever be offered. */
  services?: ProxyToolServices;
  /** Stops the servers. */
  close(): Promise<void>;
}

export interface CreateProxyToolServicesOptions {
  env: Record<string, string | undefined>;
  logger: Logger;
  version: string;
}

/**
 * Waits for each configured server's first start (bounded by `mcp.startTimeoutMs`); one that
 * fails is retried in the background and offers no tools meanwhile.
 *
 * @example
 * const proxyTools = await createProxyToolServices(config, { env, logger, version });
 * createApp({ …, proxyTools: proxyTools.services });
 */
export async function createProxyToolServices(config: Config, options: CreateProxyToolServicesOptions): Promise<ProxyToolServicesHandle> {
  const { mcp } = config;
  const hasServers = Object.keys(mcp.servers).length > 0;
  if (!hasServers) return { close: async () => {} };

  const { McpServers } = await import("../mcp/mcp-servers");
  const servers: McpServers = new McpServers(mcp, { logger: options.logger, env: options.env, clientVersion: options.version });
  await servers.start();
  return {
    services: { servers, maxSteps: config.proxyTools.maxSteps },
    close: () => servers.close(),
  };
}
