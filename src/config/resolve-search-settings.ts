/**
 * The search section made concrete: which providers are asked, in what order, each with its
 * endpoint or key (read from wherever the config says) and its limits. An empty `providers`
 * means every provider that is set up; DuckDuckGo, which needs nothing, only when listed
 * (decision 0023). A listed provider that is not set up, or a key that cannot be read, stops
 * start-up with the field to fix.
 */
import type { SearchProviderName } from "./config-choices";
import { ConfigError, type ConfigIssue } from "./config-error";
import { readSecret, SecretUnavailableError } from "./read-secret";
import type { SearchConfig } from "./search-config-schema";

export interface SearchProviderSettings {
  name: SearchProviderName;
  /** SearXNG's root URL. */
  url?: string;
  /** Brave, Tavily or SerpAPI's key. */
  apiKey?: string;
  timeoutMs: number;
  requestsPerMinute: number;
}

/** The order an empty `providers` takes: self-hosted first, then the keyed APIs. */
const SET_UP_ORDER = ["searxng", "brave", "tavily", "serpapi"] as const;

/**
 * An empty list when no provider is set up: no web search.
 *
 * @example
 * // with only ANYCLAUDE_SEARCH_SEARXNG_URL=http://127.0.0.1:8888 set
 * resolveSearchSettings(config.search, process.env);
 * // => [{ name: "searxng", url: "http://127.0.0.1:8888", timeoutMs: 10000, requestsPerMinute: 30 }]
 */
export function resolveSearchSettings(search: SearchConfig, env: Record<string, string | undefined>): SearchProviderSettings[] {
  const explicit = search.providers.length > 0;
  const names = explicit ? [...new Set(search.providers)] : SET_UP_ORDER.filter((name) => isSetUp(search, name));
  const issues: ConfigIssue[] = [];
  const settings = names.flatMap((name): SearchProviderSettings[] => {
    const section = search[name];
    const limits = {
      timeoutMs: section.timeoutMs ?? search.timeoutMs,
      requestsPerMinute: section.requestsPerMinute ?? search.requestsPerMinute,
    };
    if (name === "duckduckgo") return [{ name, ...limits }];
    if (name === "searxng") {
      if (search.searxng.url) return [{ name, url: search.searxng.url, ...limits }];
      issues.push({ path: "search.searxng.url", message: "search.providers lists searxng, which needs the URL of an instance" });
      return [];
    }
    const keyed = search[name];
    try {
      const apiKey = readSecret(keyed, env);
      if (apiKey) return [{ name, apiKey, ...limits }];
      issues.push({
        path: `search.${name}.apiKey`,
        message: `search.providers lists ${name}, which needs a key (apiKey, apiKeyEnv or apiKeyFile)`,
      });
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      issues.push({ path: `search.${name}.${keyed.apiKeyEnv ? "apiKeyEnv" : "apiKeyFile"}`, message: error.message });
    }
    return [];
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return settings;
}

function isSetUp(search: SearchConfig, name: (typeof SET_UP_ORDER)[number]): boolean {
  if (name === "searxng") return search.searxng.url !== undefined;
  const section = search[name];
  return section.apiKey !== undefined || section.apiKeyEnv !== undefined || section.apiKeyFile !== undefined;
}
