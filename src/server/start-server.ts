/**
 * Wires anyclaude together from a validated config: finds and probes the backends, builds the
 * router, its health monitor, metrics and app, and starts listening. Used by `anyclaude serve`, the tests and the
 * benchmarks alike, so all three run exactly the same server.
 */

import { Value } from "@sinclair/typebox/value";
import { decideListenExposure } from "../access/decide-listen-exposure";
import type { Backend } from "../backends/backend";
import { createBackend } from "../backends/create-backend";
import { type DiscoveredBackend, discoverLocalBackends } from "../backends/discover-local-backends";
import { ProbingBackend } from "../backends/probing-backend";
import { BackendUnreachableError, nameBackend, resolveBackendSettings } from "../backends/resolve-backend-settings";
import { ConfigError } from "../config/config-error";
import { type BackendConfig, BackendSchema, type Config } from "../config/config-schema";
import { resolveSearchSettings } from "../config/resolve-search-settings";
import { ContextState } from "../context/context-state";
import { SummaryMemo } from "../context/summarize-left-out-turns";
import { OverloadedError, ProxyError } from "../errors/proxy-error";
import { ConversationMemo } from "../json/conversation-memo";
import type { Logger } from "../log/logger";
import { createMetrics } from "../metrics/metrics";
import { PromptOptimizer } from "../prompt/prompt-optimizer";
import type { BackendStatus, PooledBackend } from "../router/backend-pool";
import { DiscoveryMonitor, type DiscoveryStatus } from "../router/discovery-monitor";
import { HealthMonitor } from "../router/health-monitor";
import type { Target } from "../router/parse-target";
import { Router } from "../router/router";
import type { RouterClock } from "../router/router-clock";
import { createApp } from "./create-app";
import { createClientAccess } from "./create-client-access";
import { createDeferredResponseCache } from "./create-deferred-response-cache";
import { createProxyToolServices } from "./create-proxy-tool-services";
import { createRequestHistory } from "./create-request-history";
import { createRouterObserver } from "./create-router-observer";
import type { ResponseCacheLike } from "./deferred-response-cache";
import { OpenStreams } from "./open-streams";
import { MAX_NESTING } from "./read-json-body";

export interface StartOptions {
  logger: Logger;
  env: Record<string, string | undefined>;
  version: string;
  /** Process-wide metrics (CPU, memory, event loop): on for `serve`, off for in-process tests. */
  processMetrics?: boolean;
  /** How often a backend that was down at start-up may be probed again; default 5 s. */
  reprobeMs?: number;
  /** The router's clock (circuit cool-offs, backoff, latency); tests step a fake one. Default: real time. */
  clock?: RouterClock;
  /** Uniform in [0, 1) for shuffles and backoff jitter; default Math.random. */
  random?: () => number;
  /** After the cache or history store could not open (a read-only data dir), the wait before trying again; default 30 s. */
  reopenStoreMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  backends: BackendStatus[];
  /** Backend configs that came from probing local ports rather than from config. */
  discovered: boolean;
  /** With discovery on: the ports still looked at, as /health shows them. */
  discovery?: DiscoveryStatus;
  /** How a Claude model request is routed: the default group (no modelGroups or routes configured) and its targets in order. */
  routing: { usesDefaultGroup: boolean; claudeTargets: Target[] };
  /** The response cache, when on: `whenIdle()` waits for answers still being stored, `stats()` reads its counters. */
  cache?: ResponseCacheLike;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then closes what is left. */
  stop(graceMs?: number): Promise<void>;
}

const STARTUP_REFRESH_MS = 5_000;
/** After ending the streams that outlasted the drain: time for their last frames to go out. */
const LAST_FRAMES_MS = 500;
/** What the closing error frame asks clients to wait: a restarting service is back by then. */
const SHUTDOWN_RETRY_AFTER_S = 5;
const REPROBE_MS = 5_000;

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  // A search provider listed but not set up stops start-up here, before anything runs.
  const searchProviders = resolveSearchSettings(config.search, options.env);
  const access = await createClientAccess(config, options);
  const exposure = decideListenExposure({
    host: config.server.host,
    hasKeys: access.keys.hasKeys(),
    allowUnauthenticated: config.server.allowUnauthenticated,
  });
  if (!exposure.allowed) {
    access.close();
    throw new ConfigError([{ path: "server.host", message: exposure.message }]);
  }
  if (exposure.warning) options.logger.warn(exposure.warning);
  const { configs, discovered, unanswered } = await selectBackendConfigs(config, options.logger);
  const backends = await Promise.all(configs.map((backendConfig) => buildBackend(backendConfig, config, options)));
  let router: Router | undefined;
  const metrics = createMetrics({ processMetrics: options.processMetrics, readBackends: () => router?.statuses() ?? [] });
  const observer = createRouterObserver(metrics, options.logger);
  const connect = async (found: DiscoveredBackend): Promise<PooledBackend> => {
    const backendConfig = toDiscoveredConfig(found);
    return { backend: await buildBackend(backendConfig, config, options), config: backendConfig };
  };
  const discovery = discovered ? new DiscoveryMonitor(unanswered, config.discovery, connect, observer) : undefined;
  router = new Router(
    backends.map((backend, index) => ({ backend, config: configs[index] })),
    config,
    { clock: options.clock, random: options.random, observer, discovery },
  );
  await router.refresh(AbortSignal.timeout(STARTUP_REFRESH_MS));
  const health = new HealthMonitor(router.pool, config.health, options.clock);
  health.start();
  discovery?.start(router.pool, health);

  // Claude Code resends the whole conversation every turn: what it sent before is parsed, converted and hashed once.
  const conversationMemo = new ConversationMemo({ maxDepth: MAX_NESTING });
  const cache = config.cache.enabled
    ? createDeferredResponseCache(config, {
        env: options.env,
        logger: options.logger,
        metrics,
        memo: conversationMemo,
        reopenAfterMs: options.reopenStoreMs,
      })
    : undefined;
  const proxyTools = await createProxyToolServices(config, {
    env: options.env,
    logger: options.logger,
    version: options.version,
    metrics,
    searchProviders,
  });
  const streams = new OpenStreams();
  const liveStreams = new OpenStreams();
  const history = createRequestHistory(config, { ...options, reopenAfterMs: options.reopenStoreMs });
  // Only `compress` writes summaries; the store's modules load only for it.
  const usesCompress = [config.context.policy, ...Object.values(config.context.routes).map((route) => route.policy)].includes("compress");
  const summaryStore = usesCompress
    ? (await import("./stored-summaries")).StoredSummaries.fromConfig(config, options.env, options.logger)
    : undefined;
  const app = createApp({
    config,
    router,
    health,
    logger: options.logger,
    metrics,
    prompt: new PromptOptimizer({ rules: config.prompt.rules, deferTools: config.prompt.deferTools }),
    cache,
    discovery,
    version: options.version,
    access,
    streams,
    conversationMemo,
    proxyTools: proxyTools.services,
    context: new ContextState(undefined, new SummaryMemo(undefined, summaryStore)),
    liveStreams,
    history,
  });
  app.listen({
    hostname: config.server.host,
    port: config.server.port,
    // Our own limit answers 413 in Anthropic's shape; Bun's would answer with an empty body.
    maxRequestBodySize: config.server.maxBodyBytes * 2 + 1024 * 1024,
    // Idle connections and clients that stall while sending; the messages route lifts it while an
    // answer is awaited (prompt evaluation can keep a stream silent for minutes before its first byte).
    idleTimeout: config.server.idleTimeoutS,
    // Elysia turns SO_REUSEPORT on: a second anyclaude on the same port would then start fine
    // and silently take half the connections instead of failing with EADDRINUSE.
    reusePort: false,
  });
  const server = app.server;
  if (!server) throw new Error("server did not start");
  const host = config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host;

  return {
    url: `http://${host}:${server.port}`,
    port: server.port ?? config.server.port,
    backends: router.statuses(),
    discovered,
    discovery: discovery?.status(),
    routing: { usesDefaultGroup: router.usesDefaultGroup, claudeTargets: planClaudeRequest(router) },
    cache,
    async stop(graceMs = 10_000) {
      health.stop();
      discovery?.stop();
      // The dashboard's event streams would hold the drain open to its end.
      liveStreams.closeAll(new OverloadedError("anyclaude is shutting down", SHUTDOWN_RETRY_AFTER_S));
      const drained = server.stop(false);
      if ((await Promise.race([drained, timeout(graceMs)])) === "timeout") {
        // Streams still open get an error frame Claude Code retries on, instead of a reset.
        const closed = streams.closeAll(new OverloadedError("anyclaude is shutting down", SHUTDOWN_RETRY_AFTER_S));
        if (closed > 0) options.logger.warn("drain ran out; open streams ended with an overloaded_error frame", { streams: closed });
        if ((await Promise.race([drained, timeout(LAST_FRAMES_MS)])) === "timeout") await server.stop(true);
      }
      // After the last answer: it may still be on its way into the cache or the history, or running a tool.
      await Promise.all([cache?.close(), history?.close(), proxyTools.close()]);
      // A full disk can refuse their last checkpoint; what they hold is committed all the same.
      for (const [name, close] of [
        ["client keys", () => access.close()],
        ["context summaries", () => summaryStore?.close()],
      ] as const) {
        try {
          close();
        } catch (error) {
          options.logger.warn(`could not checkpoint the ${name} on close; the next start replays it`, { error });
        }
      }
    },
  };
}

async function selectBackendConfigs(
  config: Config,
  logger: Logger,
): Promise<{ configs: BackendConfig[]; discovered: boolean; unanswered: number[] }> {
  if (config.backends.length > 0 || !config.discovery.enabled) return { configs: config.backends, discovered: false, unanswered: [] };
  logger.info("no backend configured; probing local ports", { ports: config.discovery.ports.join(",") });
  const found = await discoverLocalBackends(config.discovery.ports, config.discovery.timeoutMs);
  return {
    discovered: true,
    configs: found.map(toDiscoveredConfig),
    unanswered: config.discovery.ports.filter((port) => !found.some((engine) => engine.port === port)),
  };
}

/** Value.Default fills nested defaults (Value.Create would stop at `timeouts: {}`, leaving deadlines NaN). */
function toDiscoveredConfig(found: DiscoveredBackend): BackendConfig {
  return Value.Default(BackendSchema, { url: found.url, kind: found.kind, mode: found.mode }) as BackendConfig;
}

/** Where a Claude model request would go, in order: what the banner tells the user. */
function planClaudeRequest(router: Router): Target[] {
  try {
    return router.plan({ request: { model: "claude-sonnet-5-5" }, estimatedTokens: 0 }).targets;
  } catch (error) {
    // No backend yet, or a target served nowhere: the banner says so from the backends' states.
    if (error instanceof ProxyError) return [];
    throw error;
  }
}

async function buildBackend(backendConfig: BackendConfig, config: Config, options: StartOptions): Promise<Backend> {
  const resolveOptions = { env: options.env, probeTimeoutMs: config.discovery.timeoutMs };
  try {
    return createBackend(await resolveBackendSettings(backendConfig, resolveOptions));
  } catch (error) {
    if (!(error instanceof BackendUnreachableError)) throw error;
    const id = backendConfig.id ?? nameBackend(backendConfig.kind === "auto" ? "backend" : backendConfig.kind, backendConfig.url);
    options.logger.warn("backend not reachable at start-up; will probe again on use", { backend: id, url: backendConfig.url, error });
    return new ProbingBackend(id, backendConfig, { ...resolveOptions, retryMs: options.reprobeMs ?? REPROBE_MS });
  }
}

function timeout(ms: number): Promise<"timeout"> {
  return new Promise((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
}
