/**
 * DuckDuckGo without a key: its HTML results page (`https://html.duckduckgo.com/html/?q=…`),
 * read with Bun's HTMLRewriter. Each `.result` block gives a link (`a.result__a`, wrapped in
 * DuckDuckGo's `//duckduckgo.com/l/?uddg=` redirect, unwrapped here) and a `.result__snippet`;
 * ads (`.result--ad`) and links back to DuckDuckGo are left out. The page is not an API: when
 * its layout changes, the provider finds no results and the next one is asked.
 */
import { requestProvider } from "./request-provider";
import { toPlainText } from "./to-plain-text";
import { toWebSearchResult } from "./to-web-search-result";
import { type ProviderSearchRequest, type SearchProvider, WebSearchError, type WebSearchResult } from "./web-search-types";

const ENDPOINT = "https://html.duckduckgo.com/html/";

interface ResultBlock {
  ad: boolean;
  href?: string;
  title: string;
  snippet: string;
}

export interface DuckDuckGoProviderOptions {
  fetch?: typeof fetch;
}

/**
 * @example
 * const duckduckgo = createDuckDuckGoProvider();
 * await duckduckgo.search({ query: "bun 1.3 release", count: 5 }, signal);
 */
export function createDuckDuckGoProvider(options: DuckDuckGoProviderOptions = {}): SearchProvider {
  return {
    name: "duckduckgo",
    async search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]> {
      const url = new URL(ENDPOINT);
      url.searchParams.set("q", request.query);
      const init = { headers: { accept: "text/html" } };
      const response = await requestProvider({ provider: "DuckDuckGo", url, init, signal, fetch: options.fetch ?? fetch });
      // DuckDuckGo answers 202 with a challenge page instead of results when it thinks it is being scraped.
      if (response.status === 202) throw new WebSearchError("too_many_requests", "DuckDuckGo asked for a challenge: too many requests");
      const blocks = await readResultBlocks(response);
      return blocks
        .filter((block) => !block.ad)
        .flatMap((block) =>
          toWebSearchResult({ url: unwrapRedirect(block.href), title: toPlainText(block.title), snippet: toPlainText(block.snippet) }),
        )
        .filter((result) => !isDuckDuckGoUrl(result.url))
        .slice(0, request.count);
    },
  };
}

async function readResultBlocks(response: Response): Promise<ResultBlock[]> {
  const blocks: ResultBlock[] = [];
  const current = () => blocks.at(-1);
  const rewriter = new HTMLRewriter()
    .on("div.result", {
      element(element) {
        const classes = ` ${element.getAttribute("class") ?? ""} `;
        blocks.push({ ad: classes.includes(" result--ad "), title: "", snippet: "" });
      },
    })
    .on("a.result__a", {
      element(element) {
        const block = current();
        if (block && block.href === undefined) block.href = toPlainText(element.getAttribute("href") ?? "");
      },
      text(chunk) {
        const block = current();
        if (block) block.title += chunk.text;
      },
    })
    .on(".result__snippet", {
      text(chunk) {
        const block = current();
        if (block) block.snippet += chunk.text;
      },
    });
  await rewriter.transform(response).arrayBuffer();
  return blocks;
}

/** `//duckduckgo.com/l/?uddg=https%3A%2F%2Fbun.sh%2F&rut=…` → `https://bun.sh/`; a direct link as it is. */
function unwrapRedirect(href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  const url = URL.parse(href, "https://duckduckgo.com");
  if (!url) return undefined;
  if (isDuckDuckGoUrl(url.href) && url.pathname === "/l/") return url.searchParams.get("uddg") ?? undefined;
  return url.href;
}

function isDuckDuckGoUrl(href: string): boolean {
  const host = URL.parse(href)?.hostname ?? "";
  return host === "duckduckgo.com" || host.endsWith(".duckduckgo.com");
}
