/**
 * Caps what one search result may carry into a prompt: a provider's title or snippet can be
 * as long as the page wants, and every character of it is text the model reads as evidence.
 */
import type { WebSearchResult } from "./web-search-types";

const MAX_TITLE_CHARS = 200;
const MAX_SNIPPET_CHARS = 600;
const MAX_PAGE_AGE_CHARS = 40;

/**
 * @example
 * capSearchResult({ url, title: "x".repeat(500), snippet: "…" }).title.length; // 200, ending in "…"
 */
export function capSearchResult(result: WebSearchResult): WebSearchResult {
  const capped: WebSearchResult = {
    url: result.url,
    title: cap(result.title, MAX_TITLE_CHARS),
    snippet: cap(result.snippet, MAX_SNIPPET_CHARS),
  };
  if (result.pageAge !== undefined) capped.pageAge = cap(result.pageAge, MAX_PAGE_AGE_CHARS);
  return capped;
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
