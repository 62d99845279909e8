/**
 * One connection to Redis that never makes a request wait on a dead server: every command is
 * bounded by a deadline, failures become CacheStoreErrors, and a lost connection is reopened on
 * the next command once `retryIntervalMs` has passed since the last failure.
 *
 * Bun's client reconnects by itself, but with its offline queue commands wait through up to
 * 20 backoff attempts (about 30 s) and then fail for good until `connect()` is called again;
 * it also has no command timeout. So its reconnection and queue are off, and this class owns both.
 */
import { RedisClient } from "bun";
import { CacheStoreError, CacheStoreUnavailableError } from "./cache-store-error";

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]`, `rediss://…`, `redis+unix:///path`. */
  url: string;
  /** Opening the connection, handshake included. Default 1000. */
  connectTimeoutMs?: number;
  /** One command, from sending to its reply. Default 500: slower than that, the cache saves nothing. */
  commandTimeoutMs?: number;
  /** After a failed connect or a command timeout, commands fail at once for this long instead of trying again. Default 1000. */
  retryIntervalMs?: number;
}

/** A Lua script run by SHA (EVALSHA), sent in full only when the server does not know it yet. */
export interface RedisScript {
  source: string;
  sha1: string;
}

// Replies that mean "this server cannot serve now", as opposed to "this command is wrong".
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;
const UNAVAILABLE_CODES = new Set(["ERR_REDIS_CONNECTION_CLOSED", "ERR_REDIS_CONNECTION_TIMEOUT", "ERR_REDIS_IDLE_TIMEOUT"]);

/** @example defineRedisScript("return redis.call('GET', KEYS[1])") */
export function defineRedisScript(source: string): RedisScript {
  return { source, sha1: new Bun.CryptoHasher("sha1").update(source).digest("hex") };
}

export class RedisConnection {
  readonly #client: RedisClient;
  readonly #where: string;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #retryIntervalMs: number;
  #connecting: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  #lastFailureAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: RedisConnectionOptions) {
    // Never log the password: errors name the server without the URL's user info.
    this.#where = options.url.replace(/\/\/[^/@]*@/, "//");
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 1000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.#retryIntervalMs = options.retryIntervalMs ?? 1000;
    try {
      this.#client = new RedisClient(options.url, {
        connectionTimeout: this.#connectTimeoutMs,
        autoReconnect: false,
        enableOfflineQueue: false,
      });
    } catch (error) {
      throw new CacheStoreError(`invalid Redis URL ${this.#where}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * @example
   * const connection = new RedisConnection({ url: "redis://127.0.0.1:6379" });
   * await connection.send("SET", ["greeting", "hello"]);
   */
  send(command: string, args: string[]): Promise<unknown> {
    return this.#track(() => this.#send(command, args));
  }

  /** EVALSHA, falling back to EVAL after a server restart or on a server that never saw the script. */
  runScript(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    return this.#track(async () => {
      const rest = [String(keys.length), ...keys, ...args];
      try {
        return await this.#send("EVALSHA", [script.sha1, ...rest]);
      } catch (error) {
        if (!(error instanceof CacheStoreError) || !/^NOSCRIPT\b/.test(errorMessage(error.cause))) throw error;
        return this.#send("EVAL", [script.source, ...rest]);
      }
    });
  }

  /** Lets operations already started finish (each step is bounded by its deadline), then disconnects; later ones fail. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.#inFlight);
    this.#client.close();
  }

  #track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new CacheStoreError(`the connection to Redis at ${this.#where} is closed`));
    const running = operation();
    this.#inFlight.add(running);
    const forget = () => void this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  async #send(command: string, args: string[]): Promise<unknown> {
    await this.#ensureConnected();
    return this.#withinDeadline(this.#client.send(command, args), command, this.#commandTimeoutMs);
  }

  async #ensureConnected(): Promise<void> {
    if (this.#client.connected) return;
    if (!this.#connecting) {
      if (performance.now() - this.#lastFailureAt < this.#retryIntervalMs) {
        throw new CacheStoreUnavailableError(
          `Redis at ${this.#where} is unavailable (it failed less than ${this.#retryIntervalMs} ms ago)`,
        );
      }
      this.#connecting = this.#withinDeadline(this.#client.connect(), "connect", this.#connectTimeoutMs)
        .then(() => undefined)
        .catch((error: unknown) => {
          this.#lastFailureAt = performance.now();
          throw error;
        })
        .finally(() => {
          this.#connecting = undefined;
        });
    }
    await this.#connecting;
  }

  /** Awaits `work`, mapping its failure; past the deadline, drops the connection so the next command opens a fresh one. */
  async #withinDeadline<T>(work: Promise<T>, what: string, ms: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new CacheStoreUnavailableError(`Redis at ${this.#where} did not answer ${what} within ${ms} ms`));
        // Closing rejects everything still pending on this socket; a command after the retry
        // interval reconnects, and until then none waits on a server that just failed to answer.
        this.#lastFailureAt = performance.now();
        this.#client.close();
      }, ms);
    });
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      throw this.#mapError(error, what);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined); // its own rejection after a timeout was already reported
    }
  }

  #mapError(error: unknown, what: string): CacheStoreError {
    if (error instanceof CacheStoreError) return error;
    const code = (error as { code?: unknown } | undefined)?.code;
    const message = errorMessage(error);
    if ((typeof code === "string" && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_REPLY.test(message)) {
      return new CacheStoreUnavailableError(`Redis at ${this.#where} is unavailable (${what}: ${message})`, { cause: error });
    }
    return new CacheStoreError(`Redis at ${this.#where} rejected ${what}: ${message}`, { cause: error });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
