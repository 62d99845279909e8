/** What the HTTP layer needs from the rest of anyclaude, handed in as plain values (no globals). */

import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import type { HealthMonitor } from "../router/health-monitor";
import type { Router } from "../router/router";
import type { ResponseCacheLike } from "./deferred-response-cache";
import type { FullGcSchedule } from "./full-gc-schedule";
import type { OpenStreams } from "./open-streams";
import type { ProxyToolServices } from "./proxy-tool-step";

export interface AppServices {
  config: Config;
  router: Router;
  /** Probes the backends; /health asks it for a fresh round when probing is switched off. */
  health: HealthMonitor;
  logger: Logger;
  metrics: Metrics;
  /** The response cache; absent when `cache.enabled` is false or its data dir cannot be used. */
  cache?: ResponseCacheLike;
  /** Version string reported by /health and the OpenAPI document. */
  version: string;
  /** Counts answered requests and collects garbage in full now and then (server.fullGcEveryRequests). */
  gc?: FullGcSchedule;
  /** The SSE answers being written; a shutdown ends those that outlast its drain. */
  streams?: OpenStreams;
  /** Tools anyclaude runs itself (configured MCP servers, the MCP connector); absent when there are none. */
  proxyTools?: ProxyToolServices;
  /** The key clients must send (`server.apiKey`, read from wherever the config says); none when unset. */
  clientKey?: string;
}
