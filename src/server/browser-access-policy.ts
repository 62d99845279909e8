/**
 * Which `Host` names and foreign web origins anyclaude answers, built once from `server.*`:
 * loopback names always, the configured ones, and the machine's addresses when listening beyond
 * loopback. Names are kept as `URL` writes them, so a request's own URL compares directly.
 */

import { isLoopbackHost } from "../access/is-loopback-host";
import { ConfigError, type ConfigIssue } from "../config/config-error";

export interface BrowserAccessPolicy {
  /** Host names a request may be addressed to: lowercase, IPv6 in brackets (`[::1]`), no port. */
  hosts: ReadonlySet<string>;
  /** Origins other than anyclaude's own that web pages may call it from, with CORS. */
  origins: ReadonlySet<string>;
}

export interface BrowserAccessSettings {
  host: string;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
/** Listening on every interface is not a name anyone reaches anyclaude by. */
const UNSPECIFIED = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Throws a ConfigError naming every entry that is not a host name, address or origin.
 *
 * @example
 * const policy = createBrowserAccessPolicy({ host: "0.0.0.0", allowedHosts: ["gpu-box"], allowedOrigins: [] }, ["192.168.1.20"]);
 * policy.hosts; // Set { "localhost", "127.0.0.1", "[::1]", "gpu-box", "192.168.1.20" }
 */
export function createBrowserAccessPolicy(settings: BrowserAccessSettings, ownAddresses: readonly string[]): BrowserAccessPolicy {
  const issues: ConfigIssue[] = [];
  const read = (entries: readonly string[], field: string, normalize: (entry: string) => string | undefined) =>
    entries.flatMap((entry, index) => {
      const normalized = normalize(entry);
      if (normalized === undefined) issues.push({ path: `server.${field}[${index}]`, message: `cannot read "${entry}"` });
      return normalized === undefined ? [] : [normalized];
    });
  const listening = UNSPECIFIED.has(settings.host) ? [] : [settings.host];
  const beyondLoopback = isLoopbackHost(settings.host) ? [] : ownAddresses;
  const hosts = [...LOOPBACK_NAMES, ...listening, ...beyondLoopback].flatMap((name) => normalizeHostName(name) ?? []);
  hosts.push(...read(settings.allowedHosts, "allowedHosts", normalizeHostName));
  const origins = read(settings.allowedOrigins, "allowedOrigins", normalizeOrigin);
  if (issues.length > 0) throw new ConfigError(issues);
  return { hosts: new Set(hosts), origins: new Set(origins) };
}

/** `LocalHost:8082` → `localhost`, `::1` → `[::1]`; a port is dropped, since any port is fine. */
function normalizeHostName(name: string): string | undefined {
  const bareIPv6 = (name.match(/:/g)?.length ?? 0) > 1 && !name.startsWith("[");
  return URL.parse(`http://${bareIPv6 ? `[${name}]` : name}`)?.hostname || undefined;
}

/** An origin as browsers send it (`HTTPS://App.Example:443/` → `https://app.example`), so they compare as strings. */
function normalizeOrigin(origin: string): string | undefined {
  const url = URL.parse(origin);
  if (!url?.host || url.pathname.length > 1 || url.search || url.hash) return undefined;
  return `${url.protocol}//${url.host}`.toLowerCase();
}
