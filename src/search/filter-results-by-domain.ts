/**
 * Anthropic's `allowed_domains` / `blocked_domains` applied to results: a domain covers itself
 * and its subdomains (`example.com` covers `docs.example.com`, not `badexample.com`), and an
 * entry with a path (`example.com/blog`) covers only pages under that path.
 */
import type { WebSearchResult } from "./web-search-types";

export interface DomainFilters {
  allowedDomains?: readonly string[];
  blockedDomains?: readonly string[];
}

/**
 * @example
 * filterResultsByDomain(results, { blockedDomains: ["pinterest.com"] });
 * filterResultsByDomain(results, { allowedDomains: ["docs.python.org", "peps.python.org"] });
 */
export function filterResultsByDomain(results: readonly WebSearchResult[], filters: DomainFilters): WebSearchResult[] {
  const allowed = filters.allowedDomains?.map(parseDomainEntry) ?? [];
  const blocked = filters.blockedDomains?.map(parseDomainEntry) ?? [];
  if (allowed.length === 0 && blocked.length === 0) return [...results];
  return results.filter((result) => {
    const url = URL.parse(result.url);
    if (!url) return false;
    if (allowed.length > 0 && !allowed.some((entry) => covers(entry, url))) return false;
    return !blocked.some((entry) => covers(entry, url));
  });
}

interface DomainEntry {
  host: string;
  path: string;
}

function parseDomainEntry(entry: string): DomainEntry {
  const bare = entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "");
  const slash = bare.indexOf("/");
  const host = (slash === -1 ? bare : bare.slice(0, slash)).replace(/^\*\./, "").replace(/\.$/, "");
  const path = slash === -1 ? "" : bare.slice(slash).replace(/\/+$/, "");
  return { host, path };
}

function covers(entry: DomainEntry, url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host !== entry.host && !host.endsWith(`.${entry.host}`)) return false;
  if (entry.path === "") return true;
  const path = url.pathname.toLowerCase();
  return path === entry.path || path.startsWith(`${entry.path}/`);
}
