/**
 * The web search part of the proxy-run tool step, for a request that carries Anthropic's
 * `web_search_20250305` tool and a server with a searcher: the request's `web_search` tool, the
 * citations and search count of its answer, and the provider that answered, for the
 * `x-anyclaude-search-provider` header of a whole answer, the log line and metrics (a stream's
 * headers leave before any search has run).
 */
import type { StartedAnswer } from "../backends/start-answer";
import type { Metrics } from "../metrics/metrics";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { ProxyTool } from "../proxy-tools/proxy-tool";
import { citeSearchResultsInMessage } from "../search/cite-search-results-in-message";
import { CiteSearchResultsInStream } from "../search/cite-search-results-in-stream";
import { SearchResultTable } from "../search/search-result-table";
import { createWebSearchTool } from "../search/web-search-tool";
import type { WebSearchToolEntry } from "../search/web-search-tool-entry";
import type { WebSearcher } from "../search/web-search-types";

/** The searcher bounds each provider's time itself; this only keeps a stuck one from holding the answer. */
const WEB_SEARCH_TIMEOUT_MS = 60_000;

export class WebSearchStep {
  readonly tool: ProxyTool;
  readonly #table: SearchResultTable;
  readonly #providers = new Set<string>();
  readonly #counts = { searches: 0, cached: 0, errors: 0 };

  /**
   * @example
   * const search = new WebSearchStep(entry, services.proxyTools.webSearch, request, metrics);
   * addProxyToolsToRequest(request, [search.tool], { servedToolTypes: [WEB_SEARCH_TOOL_TYPE] });
   */
  constructor(entry: WebSearchToolEntry, searcher: WebSearcher, request: MessageCreateParams, metrics: Metrics) {
    this.#table = SearchResultTable.fromMessages(request.messages);
    this.tool = createWebSearchTool({
      entry,
      searcher,
      firstNumber: this.#table.nextNumber,
      timeoutMs: WEB_SEARCH_TIMEOUT_MS,
      observer: {
        onSearch: ({ provider, cached, errorCode }) => {
          this.#counts.searches++;
          if (cached) this.#counts.cached++;
          if (errorCode) this.#counts.errors++;
          if (provider) this.#providers.add(provider);
          metrics.webSearches.inc({ provider: provider ?? "none", outcome: errorCode ?? (cached ? "cached" : "ok") });
        },
      },
    });
  }

  /** The answer with its `[n]` markers turned into citations and its searches counted in usage. */
  finish(answer: StartedAnswer): StartedAnswer {
    if (answer.kind === "message") return { kind: "message", message: citeSearchResultsInMessage(answer.message, this.#table) };
    const citing = new CiteSearchResultsInStream(this.#table);
    const rest = answer.rest;
    return {
      kind: "stream",
      first: citing.accept(answer.first),
      rest: (async function* () {
        try {
          for (let next = await rest.next(); !next.done; next = await rest.next()) {
            const batch = citing.accept(next.value);
            if (batch.length > 0) yield batch;
          }
        } finally {
          // A client that leaves closes this stream: the loop's own must close too (its end is counted there).
          await rest.return?.();
        }
      })(),
    };
  }

  /** For a whole answer: the providers that answered, in the order they first did. */
  responseHeaders(): Record<string, string> {
    return this.#providers.size > 0 ? { "x-anyclaude-search-provider": [...this.#providers].join(",") } : {};
  }

  /** Searches the tool ran (answered from the cache or not, failed or not). */
  searchCount(): number {
    return this.#counts.searches;
  }

  logFields(): Record<string, string | number> {
    const { searches, cached, errors } = this.#counts;
    if (searches === 0) return {};
    return {
      searches,
      searchCacheHits: cached,
      searchErrors: errors,
      ...(this.#providers.size > 0 && { searchProvider: [...this.#providers].join(",") }),
    };
  }
}
