/**
 * One HTTP request to a search provider's own endpoint, with every failure turned into the
 * WebSearchError the searcher acts on: 429 is `too_many_requests` (the next provider is
 * asked), anything else that is not a usable answer is `unavailable`. Messages name the
 * provider and the endpoint's origin, never the full URL, which may carry a key.
 */
import { WebSearchError } from "./web-search-types";

export interface ProviderRequest {
  /** The provider's display name in messages (`Brave Search`). */
  provider: string;
  url: URL;
  init?: RequestInit;
  signal: AbortSignal;
  fetch: typeof fetch;
}

/**
 * @example
 * const body = await requestProviderJson({ provider: "Tavily", url, init: { method: "POST", body }, signal, fetch });
 */
export async function requestProviderJson(request: ProviderRequest): Promise<unknown> {
  const response = await requestProvider(request);
  try {
    return await response.json();
  } catch (error) {
    throw new WebSearchError("unavailable", `${request.provider} answered with a body that is not JSON`, { cause: error });
  }
}

/**
 * @example
 * const html = await (await requestProvider({ provider: "DuckDuckGo", url, signal, fetch })).text();
 */
export async function requestProvider(request: ProviderRequest): Promise<Response> {
  const { provider, url } = request;
  let response: Response;
  try {
    response = await request.fetch(url, { ...request.init, signal: request.signal, redirect: "error" });
  } catch (error) {
    throw new WebSearchError("unavailable", `${provider} at ${url.origin} cannot be reached: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (response.status === 429) throw new WebSearchError("too_many_requests", `${provider} refused: too many requests`);
  if (!response.ok) throw new WebSearchError("unavailable", `${provider} answered ${response.status}`);
  return response;
}
