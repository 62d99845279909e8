/**
 * The dashboard's login sessions: a browser cannot send `x-api-key`, so `/login` trades a key
 * for a cookie holding a signed token (key name and expiry, HMAC-SHA256), never the key itself.
 * The secret is drawn when the server starts: a restart logs everyone out, and nothing is stored.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface SessionTokensOptions {
  /** How long a login lasts. */
  ttlMs: number;
  now?: () => number;
  /** Default: 32 random bytes. */
  secret?: Uint8Array;
}

export class SessionTokens {
  readonly #secret: Uint8Array;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: SessionTokensOptions) {
    this.#secret = options.secret ?? randomBytes(32);
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * @example
   * response.headers.set("set-cookie", `anyclaude_session=${sessions.issue("alice")}; HttpOnly; SameSite=Strict; Path=/`);
   */
  issue(keyName: string): string {
    const payload = Buffer.from(JSON.stringify({ key: keyName, expires: this.#now() + this.#ttlMs })).toString("base64url");
    return `${payload}.${this.#sign(payload)}`;
  }

  /**
   * The key name a token was issued for, or undefined for a token that is forged, damaged or expired.
   *
   * @example
   * sessions.verify(cookie); // "alice"
   */
  verify(token: string): string | undefined {
    const [payload, signature, extra] = token.split(".");
    if (payload === undefined || signature === undefined || extra !== undefined) return undefined;
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { key?: unknown; expires?: unknown };
    if (typeof claims.key !== "string" || typeof claims.expires !== "number" || claims.expires <= this.#now()) return undefined;
    return claims.key;
  }

  /** How long a login lasts, for the cookie's Max-Age. */
  get ttlSeconds(): number {
    return Math.floor(this.#ttlMs / 1000);
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.#secret).update(payload).digest("base64url");
  }
}
