/**
 * Client keys as anyclaude makes and keeps them: 256 random bits, shown once, stored only as
 * their SHA-256 (a fast hash is enough for a random key; see docs/decisions/0025-client-keys.md).
 */
import { createHash, randomBytes } from "node:crypto";

const KEY_PREFIX = "sk-anyclaude-";

/**
 * A new key: a recognizable prefix (secret scanners and people can tell what it is) and 32
 * random bytes in base64url.
 *
 * @example
 * generateClientKey(); // "sk-anyclaude-3q2+7w..." (56 characters)
 */
export function generateClientKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/**
 * The hex SHA-256 of a key, as the store and `server.keys.NAME.hash` hold it.
 *
 * @example
 * hashClientKey("sk-test"); // "5d4a..." (64 hex digits)
 */
export function hashClientKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
