/**
 * Who a request comes from. With no client key anywhere (configuration or store), anyone on the
 * listening address may call; with one, every request must carry a key the way Claude Code sends
 * it (`x-api-key` from ANTHROPIC_API_KEY, or `Authorization: Bearer` from ANTHROPIC_AUTH_TOKEN).
 * The dashboard and its `/api/*` also take the login cookie `/login` sets, since a browser cannot
 * send a header; a visitor without one is sent to `/login`. Liveness, the API documentation, the
 * login page and the dashboard's static files stay open: none reveals a prompt, a statistic or
 * reaches a model.
 */
import type { ClientKey, ClientKeyRegistry } from "../access/client-key-registry";
import type { SessionTokens } from "../access/session-tokens";
import { AuthenticationError } from "../errors/proxy-error";

const OPEN_PATHS = /^\/(?:health|docs|login|logout|dashboard\/assets)(?:\/|$)/;
/** Where a browser comes with the login cookie rather than a header. */
const COOKIE_PATHS = /^\/(?:dashboard|api)(?:\/|$)/;

/** The login cookie's name. */
export const SESSION_COOKIE = "anyclaude_session";

export type ClientKeyDecision =
  /** `key`: the key the request carried; undefined on an open path or when no key exists. */
  | { allowed: true; key?: ClientKey }
  /** `login`: a browser asking for the dashboard page, to be sent to /login rather than answered 401. */
  | { allowed: false; error: AuthenticationError; login: boolean };

/**
 * @example
 * const check = createClientKeyCheck({ keys, sessions });
 * check(new Request("http://127.0.0.1/v1/models", { headers: { "x-api-key": key } }), "/v1/models"); // { allowed: true, key: { name: "alice", ... } }
 */
export function createClientKeyCheck(access: { keys: ClientKeyRegistry; sessions: SessionTokens }) {
  return (request: Request, path: string): ClientKeyDecision => {
    if (OPEN_PATHS.test(path) || !access.keys.hasKeys()) return { allowed: true };
    const presented = request.headers.get("x-api-key") ?? readBearer(request.headers.get("authorization"));
    if (presented !== undefined) {
      const key = access.keys.identify(presented);
      return key ? { allowed: true, key } : { allowed: false, error: new AuthenticationError("invalid x-api-key"), login: false };
    }
    if (COOKIE_PATHS.test(path)) {
      const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
      const name = token === undefined ? undefined : access.sessions.verify(token);
      // A key revoked since the login ends its sessions too.
      const key = name === undefined ? undefined : access.keys.find(name);
      if (key) return { allowed: true, key };
      return { allowed: false, error: new AuthenticationError("log in at /login"), login: path === "/dashboard" };
    }
    return { allowed: false, error: new AuthenticationError("x-api-key header is required"), login: false };
  };
}

function readBearer(header: string | null): string | undefined {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}

function readCookie(header: string | null, name: string): string | undefined {
  if (header === null) return undefined;
  return new Bun.CookieMap(header).get(name) ?? undefined;
}
