/**
 * The request path's proactive search (`search.proactive`, off by default): when the last user
 * turn plainly asks for fresh facts, search before dispatch and put the results in that turn as
 * a cited block of untrusted content. Requests it does not fire for pass through unchanged; a
 * search that fails is logged and counted, and the request goes on without results.
 */
import { ClientAbortError } from "../errors/proxy-error";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import { addSearchContextToRequest } from "../search/add-search-context-to-request";
import { detectFreshFactsQuery } from "../search/detect-fresh-facts-query";
import { readLastUserQuestion } from "../search/read-last-user-question";
import { WebSearchError } from "../search/web-search-types";
import type { AppServices } from "./app-services";

export interface ProactiveSearch {
  /** The request with the results in its last turn. */
  request: MessageCreateParams;
  provider: string;
  query: string;
}

/**
 * Only requests that offer tools are considered (Claude Code's main loop): its tool-less side
 * calls (titles, summaries) repeat the user's words but need no search.
 *
 * @example
 * const searched = await searchProactively(services, request, call.signal);
 * const next = searched?.request ?? request;
 */
export async function searchProactively(
  services: AppServices,
  request: MessageCreateParams,
  signal: AbortSignal,
): Promise<ProactiveSearch | undefined> {
  const { proactive } = services.config.search;
  const searcher = services.proxyTools?.webSearch;
  if (!proactive.enabled || !searcher || !request.tools?.length) return undefined;
  const question = readLastUserQuestion(request);
  const query = question === undefined ? undefined : detectFreshFactsQuery(question);
  if (query === undefined) return undefined;
  const { metrics, logger } = services;
  let answer: Awaited<ReturnType<typeof searcher.search>>;
  try {
    answer = await searcher.search({ query }, signal);
  } catch (error) {
    if (signal.aborted) throw new ClientAbortError();
    if (!(error instanceof WebSearchError)) throw error;
    metrics.proactiveSearches.inc({ outcome: "failed" });
    logger.warn("proactive search failed; the request goes on without results", { query, code: error.code, error: error.message });
    return undefined;
  }
  if (answer.results.length === 0) {
    metrics.proactiveSearches.inc({ outcome: "empty" });
    return undefined;
  }
  metrics.proactiveSearches.inc({ outcome: "added" });
  const added = addSearchContextToRequest(request, answer, { query, maxResults: proactive.maxResults, maxChars: proactive.maxChars });
  return { request: added, provider: answer.provider, query };
}
