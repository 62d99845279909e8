/**
 * Whether one request may read the cache and whether its answer may be stored, from what the
 * client asked (headers) and the per-route config. The semantics follow HTTP's request
 * directives: `no-store` keeps the exchange out of every cache; `no-cache` wants a fresh answer
 * but lets it be stored (a refresh); anyclaude's own `x-anyclaude-cache: bypass` is `no-store`.
 */

export interface CacheDirective {
  lookup: boolean;
  store: boolean;
  /** Why the cache is bypassed, for the log: `header`, `no-cache`, `no-store` or `route <name>`. */
  reason?: string;
}

export interface RouteForCache {
  route: string;
  group?: string;
}

const USE_CACHE: Readonly<CacheDirective> = Object.freeze({ lookup: true, store: true });

/**
 * @example
 * readCacheDirective(new Headers({ "cache-control": "no-cache" }), { route: "opus" }, []); // { lookup: false, store: true, reason: "no-cache" }
 * readCacheDirective(new Headers(), { route: "background" }, ["background"]); // { lookup: false, store: false, reason: "route background" }
 */
export function readCacheDirective(headers: Headers, route: RouteForCache, bypassRoutes: readonly string[]): CacheDirective {
  if (bypassRoutes.length > 0) {
    const listed = bypassRoutes.find((name) => name === route.route || name === route.group);
    if (listed !== undefined) return { lookup: false, store: false, reason: `route ${listed}` };
  }
  if (headers.get("x-anyclaude-cache")?.trim().toLowerCase() === "bypass") return { lookup: false, store: false, reason: "header" };
  const cacheControl = headers.get("cache-control");
  if (cacheControl === null) return USE_CACHE;
  const directives = cacheControl
    .toLowerCase()
    .split(",")
    .map((directive) => directive.trim());
  if (directives.includes("no-store")) return { lookup: false, store: false, reason: "no-store" };
  if (directives.includes("no-cache")) return { lookup: false, store: true, reason: "no-cache" };
  return USE_CACHE;
}
