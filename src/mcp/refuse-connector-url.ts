/**
 * Which URLs a request's `mcp_servers` may make anyclaude connect to. The connector connects from
 * anyclaude's own place in the network: a client that can reach anyclaude only from elsewhere must
 * not reach what only anyclaude can (this machine's other services, the private network).
 * Listening on loopback, the client is this machine's user, who can reach all of it anyway.
 */

export interface ConnectorUrlPolicy {
  /** `mcp.connector.allowedUrls`: URL prefixes (origin, then path). When given, only these, wherever anyclaude listens. */
  allowedUrls: readonly string[];
  /** `server.host` is no loopback address: with no allowed URLs configured, none is allowed. */
  listensBeyondLoopback: boolean;
}

/**
 * Undefined when the URL may be connected to, else why not (for the client's 400).
 *
 * @example
 * refuseConnectorUrl("https://mcp.example.com/mcp", { allowedUrls: ["https://mcp.example.com/"], listensBeyondLoopback: true }); // undefined
 * refuseConnectorUrl("http://10.0.0.5/mcp", { allowedUrls: [], listensBeyondLoopback: true }); // "anyclaude listens beyond loopback …"
 */
export function refuseConnectorUrl(url: string, policy: ConnectorUrlPolicy): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return "it is not a URL";
  }
  if (target.protocol !== "http:" && target.protocol !== "https:")
    return `only http and https servers can be connected to, not ${target.protocol}`;
  if (policy.allowedUrls.length === 0) {
    return policy.listensBeyondLoopback
      ? "anyclaude listens beyond loopback, where the MCP connector reaches only the URLs in mcp.connector.allowedUrls, and none is set"
      : undefined;
  }
  return policy.allowedUrls.some((allowed) => isUnder(target, allowed)) ? undefined : "it is not under any of mcp.connector.allowedUrls";
}

/** Same origin, and the path at or below the allowed one's ("https://h/mcp" allows "https://h/mcp/x", not "https://h/mcpx"). */
function isUnder(target: URL, allowed: string): boolean {
  let prefix: URL;
  try {
    prefix = new URL(allowed);
  } catch {
    return false;
  }
  if (prefix.origin !== target.origin) return false;
  const path = prefix.pathname.endsWith("/") ? prefix.pathname : `${prefix.pathname}/`;
  return target.pathname === prefix.pathname || target.pathname.startsWith(path);
}
