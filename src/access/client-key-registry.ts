/**
 * The client keys a server accepts: those of the configuration and those `anyclaude keys` keeps
 * in the store. A key added or revoked in the store counts from the next request on: each lookup
 * asks the store whether anything changed (SQLite's data_version, one cheap PRAGMA) and reads
 * the small table again only then.
 */
import { timingSafeEqual } from "node:crypto";
import type { KeyLimits } from "../config/client-keys-config-schema";
import { hashClientKey } from "./client-key-secret";

export interface ClientKey {
  name: string;
  limits: KeyLimits;
}

/** A key of the configuration: its hash, and its own limits if it has any. */
export interface ConfiguredClientKey {
  name: string;
  /** Hex SHA-256; absent for an entry that only sets the limits of a stored key. */
  hash?: string;
  limits?: KeyLimits;
}

/** What the registry needs of the store (ClientKeysRepository fits). */
export interface StoredClientKeys {
  /** Changes whenever another connection committed. */
  readVersion(): number;
  list(): Array<{ name: string; hash: string }>;
  markUsed(name: string, at: number): void;
}

export interface ClientKeyRegistryOptions {
  configured: readonly ConfiguredClientKey[];
  stored?: StoredClientKeys;
  /** Limits of every key, each field replaced by the key's own when it sets one. */
  defaultLimits: KeyLimits;
  now?: () => number;
  /** A failed write of a key's last use; the request goes on. */
  onError?: (message: string, error: unknown) => void;
}

/** `last_used_at` is written at most this often per key: `keys list` needs the day, not the request. */
const MARK_USED_EVERY_MS = 60_000;

interface KnownKey extends ClientKey {
  hash: Buffer;
  stored: boolean;
}

export class ClientKeyRegistry {
  readonly #options: ClientKeyRegistryOptions;
  readonly #now: () => number;
  /** When each stored key's last use was last written. */
  readonly #markedAt = new Map<string, number>();
  #keys: KnownKey[] = [];
  #version: number | undefined;

  constructor(options: ClientKeyRegistryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#refresh();
  }

  /** Whether any key exists now: with none, anyclaude asks clients for none. */
  hasKeys(): boolean {
    this.#refresh();
    return this.#keys.length > 0;
  }

  /**
   * The key a client presented, or undefined. Every known hash is compared, in constant time and
   * without stopping at a match, so timing tells nothing of which key or how many bytes matched.
   *
   * @example
   * registry.identify(request.headers.get("x-api-key") ?? ""); // { name: "alice", limits: {...} }
   */
  identify(presented: string): ClientKey | undefined {
    this.#refresh();
    const digest = Buffer.from(hashClientKey(presented), "hex");
    let found: KnownKey | undefined;
    for (const key of this.#keys) {
      if (timingSafeEqual(digest, key.hash) && found === undefined) found = key;
    }
    if (found?.stored) this.#markUsed(found.name);
    return found && { name: found.name, limits: found.limits };
  }

  /** The key of that name, if it still exists (a login session outlives nothing that was revoked). */
  find(name: string): ClientKey | undefined {
    this.#refresh();
    const key = this.#keys.find((known) => known.name === name);
    return key && { name: key.name, limits: key.limits };
  }

  #refresh(): void {
    const stored = this.#options.stored;
    const version = stored?.readVersion();
    if (this.#version !== undefined && version === this.#version) return;
    this.#version = version ?? 0;
    const { configured, defaultLimits } = this.#options;
    const limitsOf = (name: string) => ({ ...defaultLimits, ...configured.find((key) => key.name === name)?.limits });
    const fromConfig = configured
      .filter((key) => key.hash !== undefined)
      .map((key) => ({ name: key.name, hash: Buffer.from(key.hash!, "hex"), limits: limitsOf(key.name), stored: false }));
    const fromStore = (stored?.list() ?? [])
      .filter((key) => !fromConfig.some((known) => known.name === key.name))
      .map((key) => ({ name: key.name, hash: Buffer.from(key.hash, "hex"), limits: limitsOf(key.name), stored: true }));
    this.#keys = [...fromConfig, ...fromStore];
  }

  #markUsed(name: string): void {
    const now = this.#now();
    if (now - (this.#markedAt.get(name) ?? 0) < MARK_USED_EVERY_MS) return;
    this.#markedAt.set(name, now);
    try {
      this.#options.stored?.markUsed(name, now);
    } catch (error) {
      this.#options.onError?.("could not record a client key's last use", error);
    }
  }
}
