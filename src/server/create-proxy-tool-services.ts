/**
 * Builds what the request path needs for tools anyclaude runs itself: the configured MCP
 * servers, started and supervised; the MCP connector; the tool-result cache. The MCP SDK is
 * loaded only when a server is configured or a request first names one, the cache's store only
 * when some server has a tool marked idempotent, so a `serve` that uses neither holds neither.
 */
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { McpConnector } from "../mcp/mcp-connector";
import type { McpServers } from "../mcp/mcp-servers";
import type { ProxyToolServices } from "./proxy-tool-step";

export interface ProxyToolServicesHandle {
  /** Undefined when no proxy-run tool can ever be offered. */
  services?: ProxyToolServices;
  /** Stops the servers, closes connector sessions and the cache's store. */
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
  if (!hasServers && !mcp.connector.enabled) return { close: async () => {} };

  let servers: McpServers | undefined;
  if (hasServers) {
    const { McpServers } = await import("../mcp/mcp-servers");
    servers = new McpServers(mcp, { logger: options.logger, env: options.env, clientVersion: options.version });
    await servers.start();
  }
  let connector: Promise<McpConnector> | undefined;
  const openConnector = () =>
    (connector ??= import("../mcp/mcp-connector").then(
      ({ McpConnector }) => new McpConnector({ ...mcp.connector, clientVersion: options.version }, options.logger),
    ));
  const idempotent = Object.values(mcp.servers).some((server) => server.idempotent.length > 0);
  const cache = idempotent
    ? (await import("./stored-tool-result-cache")).StoredToolResultCache.fromConfig(config, options.env, options.logger)
    : undefined;
  return {
    services: {
      servers,
      connector: mcp.connector.enabled ? { toolsFor: async (...args) => (await openConnector()).toolsFor(...args) } : undefined,
      cache,
      maxSteps: config.proxyTools.maxSteps,
    },
    async close() {
      await Promise.all([servers?.close(), connector?.then((opened) => opened.close())]);
      cache?.close();
    },
  };
}
