/**
 * Anthropic's `web_search` server tool run by anyclaude: the model calls a plain `web_search`
 * function with a query, the request's searcher answers, and the client sees the call and its
 * results as `server_tool_use` and `web_search_tool_result` blocks. One per request: it counts
 * the request's searches against `max_uses` and numbers results on from earlier turns.
 */
import type { ContentBlock, WebSearchResultBlock, WebSearchToolResultErrorCode } from "../protocol/anthropic/messages";
import { type ProxyTool, type ProxyToolOutput, textOutput } from "../proxy-tools/proxy-tool";
import { describeSearchErrorForModel, describeSearchResultsForModel } from "./describe-search-results-for-model";
import { encodeSearchResult, type NumberedSearchResult } from "./search-result-codec";
import type { WebSearchToolEntry } from "./web-search-tool-entry";
import { type SearchUserLocation, WebSearchError, type WebSearcher } from "./web-search-types";

/** What a run leaves for its result block: the numbered results, or why there are none. */
type SearchDetails = { results: NumberedSearchResult[]; provider: string; cached: boolean } | { errorCode: WebSearchToolResultErrorCode };

/** Told about each call, for metrics, the request's log line and the search-provider header. */
interface WebSearchObserver {
  onSearch(outcome: { provider?: string; cached?: boolean; errorCode?: WebSearchToolResultErrorCode }): void;
}

export interface WebSearchToolSettings {
  entry: WebSearchToolEntry;
  searcher: WebSearcher;
  /** The number the first result of this request gets: one past those of earlier turns. */
  firstNumber: number;
  timeoutMs: number;
  observer?: WebSearchObserver;
}

const INPUT_SCHEMA = {
  type: "object",
  properties: { query: { type: "string", description: "The search query: a few precise keywords." } },
  required: ["query"],
  additionalProperties: false,
};

/**
 * @example
 * const tool = createWebSearchTool({ entry: { type: "web_search_20250305", name: "web_search", max_uses: 3 }, searcher, firstNumber: 1, timeoutMs: 30_000 });
 * await tool.run({ query: "bun 1.3" }, signal); // numbered results for the model, details for the result block
 */
export function createWebSearchTool(settings: WebSearchToolSettings): ProxyTool {
  const { entry, searcher, observer } = settings;
  let uses = 0;
  let next = settings.firstNumber;
  const fail = (errorCode: WebSearchToolResultErrorCode): ProxyToolOutput => {
    observer?.onSearch({ errorCode });
    return { ...textOutput(describeSearchErrorForModel(errorCode), true), details: { errorCode } satisfies SearchDetails };
  };
  return {
    name: entry.name,
    description:
      "Search the web for current information: recent events, releases, prices, documentation newer than your knowledge. Returns numbered results to cite.",
    inputSchema: INPUT_SCHEMA,
    // Never the tool-result cache: every call counts against max_uses; the searcher keeps its own cache.
    idempotent: false,
    timeoutMs: settings.timeoutMs,
    metricsLabel: "web_search",
    async run(input, signal) {
      const query = (input as { query?: unknown } | null)?.query;
      if (typeof query !== "string" || query.trim() === "") return fail("invalid_tool_input");
      uses++;
      if (entry.max_uses !== undefined && uses > entry.max_uses) return fail("max_uses_exceeded");
      try {
        const answer = await searcher.search(
          {
            query,
            allowedDomains: entry.allowed_domains ?? undefined,
            blockedDomains: entry.blocked_domains ?? undefined,
            userLocation: (entry.user_location ?? undefined) as SearchUserLocation | undefined,
          },
          signal,
        );
        const results = answer.results.map((result) => ({ ...result, number: next++ }));
        observer?.onSearch({ provider: answer.provider, cached: answer.cached });
        const details: SearchDetails = { results, provider: answer.provider, cached: answer.cached };
        return { ...textOutput(describeSearchResultsForModel(results)), details };
      } catch (error) {
        if (!(error instanceof WebSearchError)) throw error;
        return fail(error.code);
      }
    },
    describeCall: (id, input): ContentBlock => ({
      type: "server_tool_use",
      id: toServerToolId(id),
      name: entry.name,
      input: (input ?? {}) as Record<string, unknown>,
    }),
    describeResult: (id, output): ContentBlock => ({
      type: "web_search_tool_result",
      tool_use_id: toServerToolId(id),
      content: toResultContent(output.details as SearchDetails | undefined),
    }),
  };
}

/** Anthropic's ids of server-run calls start with `srvtoolu_`; the model's own id follows, so call and result stay paired. */
function toServerToolId(id: string): string {
  return id.startsWith("srvtoolu_") ? id : `srvtoolu_${id.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** A run that timed out or threw left no details: the searcher was unavailable. */
function toResultContent(details: SearchDetails | undefined): Extract<ContentBlock, { type: "web_search_tool_result" }>["content"] {
  if (!details || "errorCode" in details) return { type: "web_search_tool_result_error", error_code: details?.errorCode ?? "unavailable" };
  return details.results.map(
    (result): WebSearchResultBlock => ({
      type: "web_search_result",
      url: result.url,
      title: result.title,
      encrypted_content: encodeSearchResult(result),
      page_age: result.pageAge ?? null,
    }),
  );
}
