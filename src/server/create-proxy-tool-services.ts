/**
 * Builds what the request path needs for tools anyclaude runs itself: the configured MCP
 * servers, started and supervised; the MCP connector; the tool-result cache; the web searcher.
 * The MCP SDK is loaded only when a server is configured or a request first names one, the
 * cache's store only when some server has a tool marked idempotent, the search providers only
 * when one is set up, so a `serve` that uses none of them holds none of them.
 */
import { isLoopbackHost } from "../access/is-loopback-host";
import type { Config } from "../config/config-schema";
import { resolveSearchSettings, type SearchProviderSettings } from "../config/resolve-search-settings";
import type { Logger } from "../log/logger";
import type { McpConnector } from "../mcp/mcp-connector";
import type { McpServers } from "../mcp/mcp-servers";
import type { Metrics } from "../metrics/metrics";
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
  /** Where the searcher counts its providers' outcomes and cache lookups. */
  metrics?: Metrics;
  /** The search providers' fetch (tests hand in one that refuses any other host). */
  fetch?: typeof fetch;
  /** The search providers, when the caller resolved them already (start-up does, to stop early); else resolved here. */
  searchProviders?: SearchProviderSettings[];
}

/**
 * Waits for each configured server's first start (bounded by `mcp.startTimeoutMs`); one that
 * fails is retried in the background and offers no tools meanwhile.
 *
 * @throws ConfigError when a search provider listed in `search.providers` is not set up, or its key cannot be read
 *
 * @example
 * const proxyTools = await createProxyToolServices(config, { env, logger, version });
 * createApp({ …, proxyTools: proxyTools.services });
 */
export async function createProxyToolServices(config: Config, options: CreateProxyToolServicesOptions): Promise<ProxyToolServicesHandle> {
  const { mcp } = config;
  const hasServers = Object.keys(mcp.servers).length > 0;
  const searchProviders = options.searchProviders ?? resolveSearchSettings(config.search, options.env);
  if (!hasServers && !mcp.connector.enabled && searchProviders.length === 0) return { close: async () => {} };

  let servers: McpServers | undefined;
  if (hasServers) {
    const { McpServers } = await import("../mcp/mcp-servers");
    servers = new McpServers(mcp, { logger: options.logger, env: options.env, clientVersion: options.version });
    await servers.start();
  }
  let connector: Promise<McpConnector> | undefined;
  const openConnector = () =>
    (connector ??= import("../mcp/mcp-connector").then(
      ({ McpConnector }) =>
        new McpConnector(
          { ...mcp.connector, listensBeyondLoopback: !isLoopbackHost(config.server.host), clientVersion: options.version },
          options.logger,
        ),
    ));
  const idempotent = Object.values(mcp.servers).some((server) => server.idempotent.length > 0);
  const cache = idempotent
    ? (await import("./stored-tool-result-cache")).StoredToolResultCache.fromConfig(config, options.env, options.logger)
    : undefined;
  const search =
    searchProviders.length > 0
      ? (await import("./create-web-searcher")).createWebSearcherFromConfig(config, searchProviders, options)
      : undefined;
  return {
    services: {
      servers,
      connector: mcp.connector.enabled ? { toolsFor: async (...args) => (await openConnector()).toolsFor(...args) } : undefined,
      cache,
      webSearch: search?.searcher,
      maxSteps: config.proxyTools.maxSteps,
    },
    async close() {
      await Promise.all([servers?.close(), connector?.then((opened) => opened.close())]);
      cache?.close();
      search?.close();
    },
  };
}
