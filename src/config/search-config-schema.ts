/**
 * The web search part of the configuration schema: which providers answer Claude Code's
 * WebSearch (and proactive search), in what order, with their endpoints and keys, limits and
 * the result cache. Composed by config-schema.ts; decision 0023 explains the defaults.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { SEARCH_PROVIDERS } from "./config-choices";

const ProviderLimits = {
  timeoutMs: t.Optional(t.Integer({ minimum: 1, description: "This provider's own `search.timeoutMs`." })),
  requestsPerMinute: t.Optional(t.Integer({ minimum: 1, description: "This provider's own `search.requestsPerMinute`." })),
};

const KeyedProviderSchema = (name: string, where: string) =>
  t.Object(
    {
      apiKey: t.Optional(t.String({ minLength: 1, description: `${name} API key (${where}). Prefer apiKeyEnv or apiKeyFile.` })),
      apiKeyEnv: t.Optional(t.String({ minLength: 1, description: "Name of an environment variable holding the key." })),
      apiKeyFile: t.Optional(t.String({ minLength: 1, description: "Path of a file holding the key." })),
      ...ProviderLimits,
    },
    { default: {}, additionalProperties: false, description: `${name}: used once it has a key.` },
  );

export const SearchSchema = t.Object(
  {
    providers: t.Array(t.Union(SEARCH_PROVIDERS.map((name) => t.Literal(name))), {
      default: [],
      description:
        "Providers in the order tried; the next is asked when one fails, times out, refuses (429) or is over its rate. Empty: each provider that is set up below (`searxng.url`, a key), in the order searxng, brave, tavily, serpapi. DuckDuckGo needs no key, so it is used only when listed here. Nothing set up: no web search.",
    }),
    searxng: t.Object(
      {
        url: t.Optional(
          t.String({
            pattern: "^https?://",
            description: "Root URL of a SearXNG instance with the JSON format enabled, e.g. `http://127.0.0.1:8888`.",
          }),
        ),
        ...ProviderLimits,
      },
      { default: {}, additionalProperties: false, description: "SearXNG, self-hosted metasearch: used once it has a URL." },
    ),
    duckduckgo: t.Object(ProviderLimits, {
      default: {},
      additionalProperties: false,
      description: "DuckDuckGo's HTML results page (no key; used only when listed in `providers`).",
    }),
    brave: KeyedProviderSchema("Brave Search", "sent as `X-Subscription-Token`"),
    tavily: KeyedProviderSchema("Tavily", "sent as a bearer token"),
    serpapi: KeyedProviderSchema("SerpAPI", "sent as `api_key`"),
    timeoutMs: t.Integer({ minimum: 1, default: 10_000, description: "Longest one provider may take before the next is asked." }),
    requestsPerMinute: t.Integer({
      minimum: 1,
      default: 30,
      description:
        "Searches sent to one provider per minute at most (a token bucket: a burst may spend the whole minute's allowance); beyond it the next provider is asked.",
    }),
    maxResults: t.Integer({ minimum: 1, maximum: 20, default: 8, description: "Results asked of a provider per search." }),
    cache: t.Object(
      {
        enabled: t.Boolean({ default: true, description: "Keep search results in the store in the data dir." }),
        ttlSeconds: t.Integer({
          minimum: 1,
          default: 3600,
          description: "How long kept results are used for the same query, providers and filters.",
        }),
        maxEntries: t.Integer({ minimum: 1, default: 2000, description: "Searches kept; beyond it the oldest go." }),
      },
      { default: {}, additionalProperties: false, description: "The search result cache." },
    ),
    proactive: t.Object(
      {
        enabled: t.Boolean({
          default: false,
          description:
            "When the last user turn plainly asks for fresh facts (the latest version, today's news, a current price), search first and add the results to that turn as a cited block marked as untrusted web content. Needs a provider.",
        }),
        maxResults: t.Integer({ minimum: 1, maximum: 10, default: 5, description: "Results added to the prompt." }),
        maxChars: t.Integer({ minimum: 1000, default: 4000, description: "Length of the added block at most." }),
      },
      { default: {}, additionalProperties: false, description: "Proactive search (off by default)." },
    ),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "Web search, for Claude Code's WebSearch tool and proactive search. Only the providers' own endpoints are fetched; no URL from a model or a result ever is.",
  },
);

export type SearchConfig = Static<typeof SearchSchema>;
