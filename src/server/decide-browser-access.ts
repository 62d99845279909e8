/**
 * Whether a request may come from where it comes from. Web pages can send requests to a loopback
 * server (a `text/plain` post needs no CORS preflight) and, by re-pointing their own name at
 * 127.0.0.1 (DNS rebinding), read the answers: the `Host` must be a name anyclaude answers to,
 * and an `Origin`, which only browsers send, must be anyclaude's own or a configured one.
 */
import type { BrowserAccessPolicy } from "./browser-access-policy";

export type BrowserAccess =
  /** `corsOrigin`: a configured foreign origin, to be answered with CORS headers. */
  { allowed: true; corsOrigin?: string } | { allowed: false; refused: "host" | "origin"; message: string };

/**
 * `host` is the request's `Host` (its URL's host: Bun builds the URL from that header);
 * `origin` its `Origin` header, null when absent as from Claude Code, the SDKs and curl.
 *
 * @example
 * decideBrowserAccess({ host: "127.0.0.1:8082", origin: null }, policy); // { allowed: true }
 * decideBrowserAccess({ host: "attacker.example:8082", origin: null }, policy); // { allowed: false, refused: "host", ... }
 */
export function decideBrowserAccess(request: { host: string; origin: string | null }, policy: BrowserAccessPolicy): BrowserAccess {
  const target = URL.parse(`http://${request.host}`);
  if (!target?.hostname || !policy.hosts.has(target.hostname)) {
    return {
      allowed: false,
      refused: "host",
      message: `anyclaude does not answer to Host "${request.host}"; to reach it by that name, add it to server.allowedHosts`,
    };
  }
  const { origin } = request;
  if (origin === null) return { allowed: true };
  // A page anyclaude served itself (/docs) calls back to the host and port it came from.
  const from = URL.parse(origin);
  if ((from?.protocol === "http:" || from?.protocol === "https:") && from.host === target.host) return { allowed: true };
  if (policy.origins.has(origin)) return { allowed: true, corsOrigin: origin };
  return {
    allowed: false,
    refused: "origin",
    message: `web pages from ${origin} may not call anyclaude; to let that origin in, add it to server.allowedOrigins`,
  };
}
