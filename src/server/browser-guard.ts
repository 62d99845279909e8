/**
 * Keeps web pages from driving anyclaude: a foreign `Host` or `Origin` gets 403 before anything
 * else runs, CORS is answered only for `server.allowedOrigins`, and POST bodies are taken only as
 * JSON (415 otherwise; `/login` and `/logout` also take a form), so a form or `text/plain` post
 * from a page never reaches a model.
 */
import { networkInterfaces } from "node:os";
import { Elysia } from "elysia";
import { isLoopbackHost } from "../access/is-loopback-host";
import { PermissionError, UnsupportedMediaTypeError } from "../errors/proxy-error";
import type { Logger } from "../log/logger";
import { type BrowserAccessSettings, createBrowserAccessPolicy } from "./browser-access-policy";
import { decideBrowserAccess } from "./decide-browser-access";

const PREFLIGHT_MAX_AGE_S = 600;
/** The only posts taken as a form: the dashboard's login and logout. */
const FORM_PATHS = /^\/(?:login|logout)$/;

/**
 * Used before every route; throws a ConfigError for an entry of allowedHosts or allowedOrigins
 * it cannot read.
 *
 * @example
 * new Elysia().use(createBrowserGuard(config.server, logger)).use(createMessagesRoutes(services));
 */
export function createBrowserGuard(server: BrowserAccessSettings, logger: Logger) {
  let policy = createBrowserAccessPolicy(server, readOwnAddresses());
  const decide = (request: { host: string; origin: string | null }) => {
    const access = decideBrowserAccess(request, policy);
    if (access.allowed || access.refused !== "host" || isLoopbackHost(server.host)) return access;
    // The machine may have an address it did not have at start-up (DHCP, a VPN coming up).
    policy = createBrowserAccessPolicy(server, readOwnAddresses());
    return decideBrowserAccess(request, policy);
  };

  return new Elysia({ name: "browser-guard" })
    .onRequest(({ request, set }) => {
      const url = URL.parse(request.url);
      const origin = request.headers.get("origin");
      const access = decide({ host: url?.host ?? "", origin });
      if (!access.allowed) {
        logger.warn("request refused: a web page or an unknown host name", { host: url?.host, origin, path: url?.pathname });
        throw new PermissionError(access.message);
      }
      if (access.corsOrigin === undefined) return;
      if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
        return answerPreflight(request.headers, access.corsOrigin);
      }
      set.headers["access-control-allow-origin"] = access.corsOrigin;
      set.headers["access-control-expose-headers"] = "*";
      set.headers.vary = "Origin";
    })
    .onBeforeHandle({ as: "global" }, ({ request }) => {
      if (request.method !== "POST") return;
      const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
      if (type === "application/json") return;
      // The login form: all a foreign page could do with it is log in (and the Origin check above refuses such a page).
      if (type === "application/x-www-form-urlencoded" && FORM_PATHS.test(URL.parse(request.url)?.pathname ?? "")) return;
      throw new UnsupportedMediaTypeError(request.headers.get("content-type"));
    });
}

/** The origin is one the user listed: whatever headers its page asks to send may be sent. */
function answerPreflight(asked: Headers, origin: string): Response {
  const headers = new Headers({
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST",
    "access-control-max-age": String(PREFLIGHT_MAX_AGE_S),
    vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
  });
  const requestHeaders = asked.get("access-control-request-headers");
  if (requestHeaders) headers.set("access-control-allow-headers", requestHeaders);
  // Chromium asks before a public page may reach a loopback address.
  if (asked.get("access-control-request-private-network") === "true") headers.set("access-control-allow-private-network", "true");
  return new Response(null, { status: 204, headers });
}

function readOwnAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((addresses) => addresses?.map(({ address }) => address) ?? []);
}
