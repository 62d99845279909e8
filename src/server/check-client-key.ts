/**
 * `server.apiKey`: when set, every request must carry it, the way Claude Code sends its key
 * (`x-api-key` from ANTHROPIC_API_KEY, or `Authorization: Bearer` from ANTHROPIC_AUTH_TOKEN).
 * Liveness (`/health`), the API documentation (`/docs`) and the dashboard's page and files
 * (`/dashboard`) stay open: probes and browsers send no key, and none of them reveals a prompt,
 * a statistic or reaches a model. The page asks for the key to read `/api/*`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { AuthenticationError } from "../errors/proxy-error";

const OPEN_PATHS = /^\/(?:health|docs|dashboard)(?:\/|$)/;

/**
 * Returns the check for one key: undefined for a request that may pass, else the error to answer
 * with. Keys are compared by their SHA-256 in constant time, so neither the key's length nor its
 * bytes leak through timing.
 *
 * @example
 * const check = createClientKeyCheck("s3cret");
 * check(new Request("http://127.0.0.1/v1/models", { headers: { "x-api-key": "s3cret" } })); // undefined
 */
export function createClientKeyCheck(key: string): (request: Request, path: string) => AuthenticationError | undefined {
  const expected = digest(key);
  return (request, path) => {
    if (OPEN_PATHS.test(path)) return undefined;
    const presented = request.headers.get("x-api-key") ?? readBearer(request.headers.get("authorization"));
    if (presented === undefined) return new AuthenticationError("x-api-key header is required");
    if (!timingSafeEqual(digest(presented), expected)) return new AuthenticationError("invalid x-api-key");
    return undefined;
  };
}

function readBearer(header: string | null): string | undefined {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
