/** What the HTTP layer needs from the rest of anyclaude, handed in as plain values (no globals). */

import type { Config } from "../config/config-schema";
import type { ContextState } from "../context/context-state";
import type { RequestHistory } from "../history/request-history";
import type { ConversationMemo } from "../json/conversation-memo";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import type { PromptOptimizer } from "../prompt/prompt-optimizer";
import type { DiscoveryMonitor } from "../router/discovery-monitor";
import type { HealthMonitor } from "../router/health-monitor";
import type { Router } from "../router/router";
import type { ClientAccess } from "./create-client-access";
import type { ResponseCacheLike } from "./deferred-response-cache";
import type { OpenStreams } from "./open-streams";
import type { ProxyToolServices } from "./proxy-tool-step";

export interface AppServices {
  config: Config;
  router: Router;
  /** Probes the backends; /health asks it for a fresh round when probing is switched off. */
  health: HealthMonitor;
  /** Looks for engines started later; only when no backend is configured and discovery is on. */
  discovery?: DiscoveryMonitor;
  logger: Logger;
  metrics: Metrics;
  /** Slims system prompts and tool definitions (`prompt`), remembering what it made. */
  prompt: PromptOptimizer;
  /** The response cache; absent when `cache.enabled` is false or its data dir cannot be used. */
  cache?: ResponseCacheLike;
  /** One row per /v1/messages request, for /dashboard, /api/stats and `anyclaude stats`; absent when `history.enabled` is false. */
  history?: RequestHistory;
  /** Version string reported by /health and the OpenAPI document. */
  version: string;
  /** The dashboard's live event streams (`/api/events`), which never end on their own: a shutdown ends them first. */
  liveStreams?: OpenStreams;
  /** The SSE answers being written; a shutdown ends those that outlast its drain. */
  streams?: OpenStreams;
  /** Tools anyclaude runs itself (configured MCP servers, the MCP connector); absent when there are none. */
  proxyTools?: ProxyToolServices;
  /** Who may call and how much: client keys, their limits and the server's, the dashboard's login sessions. */
  access: ClientAccess;
  /** What the server remembers between requests of the conversations it serves: passed to every step that reuses work. */
  conversationMemo: ConversationMemo;
  /** What the context step remembers between requests: token counts and `compress` summaries. */
  context: ContextState;
}
