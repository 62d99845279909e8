/**
 * Reduces one entry of a provider's answer to a WebSearchResult, checking each field at run
 * time: providers' JSON is not ours, and an entry without a usable URL and title is skipped
 * rather than passed on half-formed.
 */
import type { WebSearchResult } from "./web-search-types";

export interface ProviderResultFields {
  url: unknown;
  title: unknown;
  snippet: unknown;
  pageAge?: unknown;
}

/**
 * An empty list for an entry to skip, so callers can `flatMap`.
 *
 * @example
 * toWebSearchResult({ url: "https://bun.sh", title: "Bun", snippet: "A fast runtime", pageAge: "2 days ago" });
 * // => [{ url: "https://bun.sh", title: "Bun", snippet: "A fast runtime", pageAge: "2 days ago" }]
 */
export function toWebSearchResult(fields: ProviderResultFields): WebSearchResult[] {
  if (typeof fields.url !== "string" || !/^https?:\/\//i.test(fields.url)) return [];
  if (typeof fields.title !== "string" || fields.title.trim() === "") return [];
  const snippet = typeof fields.snippet === "string" ? fields.snippet : "";
  const pageAge = typeof fields.pageAge === "string" && fields.pageAge.trim() !== "" ? fields.pageAge : undefined;
  return [{ url: fields.url, title: fields.title, snippet, ...(pageAge ? { pageAge } : {}) }];
}

/**
 * The objects in the list at `path` of a provider's JSON body (entries that are not objects
 * left out); undefined when there is no list there, for the provider to decide whether that is
 * a failure or no results.
 *
 * @example
 * readResultList<{ url?: unknown }>({ web: { results: [{ url: "https://bun.sh" }] } }, "web", "results"); // => [{ url: "https://bun.sh" }]
 */
export function readResultList<T extends object>(body: unknown, ...path: string[]): T[] | undefined {
  let value: unknown = body;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? (value.filter((entry) => entry !== null && typeof entry === "object") as T[]) : undefined;
}
