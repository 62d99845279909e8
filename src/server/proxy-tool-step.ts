/**
 * The request path's step for tools anyclaude runs itself (configured MCP servers, the MCP
 * connector's `mcp_servers`, Anthropic's web search tool): before dispatch, their tools join the
 * request; after the first answer started, the tool loop runs their calls and asks the same
 * target again. Requests that name no such tool never meet it.
 */
import type { StartedAnswer } from "../backends/start-answer";
import type { McpServerStatus } from "../mcp/mcp-servers";
import type { MCPServerURLDefinitionParam, MessageCreateParams, ToolParam } from "../protocol/anthropic/messages";
import { addProxyToolsToRequest } from "../proxy-tools/add-proxy-tools-to-request";
import { executeProxyToolCall, type ProxyToolCallObserver, type ToolResultCache } from "../proxy-tools/execute-proxy-tool-call";
import { type ProxyTool, type ProxyToolSet, toProxyToolSet } from "../proxy-tools/proxy-tool";
import { continueProxyToolLoop } from "../proxy-tools/run-proxy-tool-loop";
import { DispatchError, type Dispatched, type DispatchTarget } from "../router/dispatch-result";
import { readWebSearchToolResult } from "../search/read-web-search-tool-result";
import { findWebSearchToolEntry, WEB_SEARCH_TOOL_TYPE } from "../search/web-search-tool-entry";
import type { WebSearcher } from "../search/web-search-types";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";
import { WebSearchStep } from "./web-search-step";

/** What the server holds for proxy-run tools; absent parts are simply not offered. */
export interface ProxyToolServices {
  /** Configured MCP servers: the tools of those up now, and each one's state for /health. */
  servers?: { tools(): ProxyTool[]; statuses(): McpServerStatus[] };
  /** Anthropic's MCP connector; absent when `mcp.connector.enabled` is false. */
  connector?: {
    toolsFor(servers: readonly MCPServerURLDefinitionParam[], tools: readonly ToolParam[], signal: AbortSignal): Promise<ProxyTool[]>;
  };
  cache?: ToolResultCache;
  /** Runs `web_search` for requests that carry Anthropic's web search server tool; absent when no provider is configured. */
  webSearch?: WebSearcher;
  maxSteps: number;
}

/** Starts the answer on a target with a given request (the router's attempt, and each later step). */
export type StartOn = (target: DispatchTarget, request: MessageCreateParams) => Promise<StartedAnswer>;

/**
 * Undefined when neither configured servers, a served `mcp_servers` nor web search apply, so the
 * request path stays as it was. Configured servers' tools are offered to requests that offer
 * tools of their own (Claude Code's main loop), not to its tool-less side calls. Web search is
 * offered to a request that declares `web_search_20250305` when a searcher is configured; without
 * one the declaration is dropped later, as before, with a warning that says why.
 *
 * @throws InvalidRequestError when a request's MCP server cannot be reached
 * @example
 * const proxyTools = await prepareProxyToolStep(services, request, call.signal, onWarning);
 * const normalized = normalizeAnthropicRequest(proxyTools?.request ?? request, services.config.claudeCode);
 */
export async function prepareProxyToolStep(
  services: AppServices,
  request: MessageCreateParams,
  signal: AbortSignal,
  onWarning: (warning: TranslationWarning) => void,
): Promise<ProxyToolStep | undefined> {
  const proxy = services.proxyTools;
  const connector = request.mcp_servers && request.mcp_servers.length > 0 ? proxy?.connector : undefined;
  const searchEntry = findWebSearchToolEntry(request.tools);
  if (searchEntry && !proxy?.webSearch) {
    onWarning({
      code: "web-search-unavailable",
      path: "tools",
      message: `The request's ${WEB_SEARCH_TOOL_TYPE} tool is dropped: no search provider is configured (set ANYCLAUDE_SEARCH_SEARXNG_URL, or the search section of the config).`,
    });
  }
  const search = searchEntry && proxy?.webSearch ? new WebSearchStep(searchEntry, proxy.webSearch, request, services.metrics) : undefined;
  if (!proxy || (!proxy.servers && !connector && !search)) return undefined;
  const ownTools = request.tools?.some((tool) => tool.type !== "mcp_toolset" && tool.type !== WEB_SEARCH_TOOL_TYPE) === true;
  const tools = [
    ...(search ? [search.tool] : []),
    ...(ownTools ? (proxy.servers?.tools() ?? []) : []),
    ...(connector ? await connector.toolsFor(request.mcp_servers!, request.tools ?? [], signal) : []),
  ];
  const { mcp_servers: _served, ...rest } = request;
  const added = addProxyToolsToRequest(connector ? rest : request, tools, {
    servedToolTypes: [...(connector ? ["mcp_toolset"] : []), ...(search ? [WEB_SEARCH_TOOL_TYPE] : [])],
    resultReaders: search ? { web_search_tool_result: readWebSearchToolResult } : {},
  });
  added.warnings.forEach(onWarning);
  const offered = toProxyToolSet(added.value.offered);
  return new ProxyToolStep(services, added.value.request, offered, search && offered.has(search.tool.name) ? search : undefined);
}

export class ProxyToolStep {
  readonly #counts = { steps: 0, calls: 0, errors: 0, cached: 0 };

  constructor(
    private readonly services: AppServices,
    /** The request with the proxy's tools, for normalization and dispatch. */
    readonly request: MessageCreateParams,
    private readonly tools: ProxyToolSet,
    /** Present when the request's web search tool is on offer. */
    private readonly search?: WebSearchStep,
  ) {}

  /**
   * Runs the loop on from the first answer: `sent` is the request the target got. A whole
   * message's later steps happen here, and a failure among them settles the dispatch and is
   * thrown as a DispatchError; a stream's happen as it is read.
   */
  async continueLoop(
    dispatched: Dispatched<StartedAnswer>,
    sent: MessageCreateParams,
    startOn: StartOn,
  ): Promise<Dispatched<StartedAnswer>> {
    if (this.tools.size === 0) return dispatched;
    const { metrics } = this.services;
    const cache = this.services.proxyTools?.cache;
    const observer = this.#observer();
    try {
      const result = await continueProxyToolLoop(dispatched.result, sent, {
        tools: this.tools,
        maxSteps: this.services.proxyTools?.maxSteps ?? 1,
        callModel: (next) => startOn(dispatched, next),
        runCall: (tool, input) => executeProxyToolCall(tool, input, { signal: dispatched.signal, cache, observer }),
        onEnd: (summary) => {
          this.#counts.steps = summary.steps;
          metrics.proxyToolLoopSteps.observe(summary.steps);
        },
      });
      return { ...dispatched, result: this.search ? this.search.finish(result) : result };
    } catch (error) {
      dispatched.settle({ kind: "failed", error });
      throw new DispatchError(error, dispatched.attempts);
    }
  }

  /** For a whole answer, known once the loop ran: the search provider that answered. */
  responseHeaders(): Record<string, string> {
    return this.search?.responseHeaders() ?? {};
  }

  /** For the request's history row: the calls anyclaude ran, and how many of them were web searches. */
  historyCounts(): { toolCalls: number; searchCalls: number } {
    return { toolCalls: this.#counts.calls, searchCalls: this.search?.searchCount() ?? 0 };
  }

  /** For the request's log line; nothing when no proxy tool was on offer. */
  logFields(): Record<string, number | string> {
    if (this.tools.size === 0) return {};
    const { steps, calls, errors, cached } = this.#counts;
    return { toolSteps: steps, toolCalls: calls, toolErrors: errors, toolCacheHits: cached, ...this.search?.logFields() };
  }

  #observer(): ProxyToolCallObserver {
    const { metrics, logger } = this.services;
    return {
      onCall: (tool, outcome, ms) => {
        this.#counts.calls++;
        if (outcome === "error" || outcome === "timeout") this.#counts.errors++;
        if (outcome === "cached") this.#counts.cached++;
        metrics.proxyToolCalls.inc({ tool: tool.metricsLabel, outcome });
        metrics.proxyToolSeconds.observe({ tool: tool.metricsLabel }, ms / 1000);
      },
      onCacheLookup: (_tool, hit) => metrics.proxyToolCacheLookups.inc({ outcome: hit ? "hit" : "miss" }),
      onCacheError: (tool, error) => logger.warn("tool-result cache failed; the call ran without it", { tool: tool.name, error }),
    };
  }
}
