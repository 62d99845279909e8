/**
 * The tool-result cache in the embedded store: a result of an idempotent proxy-run tool is kept
 * under SHA-256 of the tool's name and its canonical input, until its TTL passes. The store is
 * opened on first use, like the response cache's, so a server that never runs such a tool
 * holds no database for it; a store that cannot open turns the cache off after one failure.
 */
import { join } from "node:path";
import { writeCanonicalJson } from "../cache/canonical-json";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import type { Logger } from "../log/logger";
import { openStore, STORE_FILE_NAME, type Store } from "../store/open-store";
import { ToolResultsRepository } from "../store/tool-results-repository";
import type { ToolResultCache } from "../tools/execute-proxy-tool-call";
import type { ProxyTool, ProxyToolOutput } from "../tools/proxy-tool";

export interface StoredToolResultCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Opens the store; throws when it cannot (the lookup then fails and the call runs uncached). */
  openStore: () => Store;
  now?: () => number;
}

export class StoredToolResultCache implements ToolResultCache {
  #store: Store | undefined;
  #repository: ToolResultsRepository | undefined;
  #failedToOpen = false;
  readonly #now: () => number;

  constructor(private readonly options: StoredToolResultCacheOptions) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * @example
   * const cache = StoredToolResultCache.fromConfig(config, process.env, logger);
   * await cache?.get(tool, { q: "bun" }); // the kept output, or undefined
   */
  static fromConfig(config: Config, env: Record<string, string | undefined>, logger: Logger): StoredToolResultCache | undefined {
    const { cache } = config.proxyTools;
    if (!cache.enabled) return undefined;
    let path: string;
    try {
      path = join(resolveDataPaths(config.paths, env).dataDir, STORE_FILE_NAME);
    } catch (error) {
      logger.warn("tool-result cache off: its data directory cannot be used", { error: (error as Error).message });
      return undefined;
    }
    return new StoredToolResultCache({
      ttlMs: cache.ttlSeconds * 1000,
      maxEntries: cache.maxEntries,
      openStore: () => {
        const store = openStore({ path });
        for (const warning of store.warnings) logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });
        return store;
      },
    });
  }

  async get(tool: ProxyTool, input: unknown): Promise<ProxyToolOutput | undefined> {
    const output = this.#open()?.findLive(keyOf(tool, input), this.#now());
    return output === undefined ? undefined : (JSON.parse(output) as ProxyToolOutput);
  }

  async put(tool: ProxyTool, input: unknown, output: ProxyToolOutput): Promise<void> {
    const now = this.#now();
    const row = {
      key: keyOf(tool, input),
      tool: tool.name,
      createdAt: now,
      expiresAt: now + this.options.ttlMs,
      output: JSON.stringify(output),
    };
    this.#open()?.put(row, this.options.maxEntries);
  }

  close(): void {
    this.#store?.close();
    this.#store = undefined;
    this.#repository = undefined;
  }

  /** Throws the first failure to open (the caller reports it); undefined from then on. */
  #open(): ToolResultsRepository | undefined {
    if (this.#repository || this.#failedToOpen) return this.#repository;
    try {
      this.#store = this.options.openStore();
    } catch (error) {
      this.#failedToOpen = true;
      throw error;
    }
    this.#repository = new ToolResultsRepository(this.#store.db);
    return this.#repository;
  }
}

function keyOf(tool: ProxyTool, input: unknown): string {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(`tool\n${JSON.stringify(tool.name)}\n${writeCanonicalJson(input)}`);
  return hasher.digest("hex");
}
