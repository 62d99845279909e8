/**
 * The tool-result cache in the embedded store: a result of an idempotent proxy-run tool is kept
 * under SHA-256 of the tool's name and its canonical input, until its TTL passes
 * (`StoredResults` opens the store on first use).
 */
import { writeCanonicalJson } from "../cache/canonical-json";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { ToolResultCache } from "../proxy-tools/execute-proxy-tool-call";
import type { ProxyTool, ProxyToolOutput } from "../proxy-tools/proxy-tool";
import { toolResults } from "../store/schema";
import { LazyStore } from "./lazy-store";
import { StoredResults, type StoredResultsOptions } from "./stored-results";

export class StoredToolResultCache implements ToolResultCache {
  readonly #results: StoredResults;

  constructor(options: StoredResultsOptions) {
    this.#results = new StoredResults(toolResults, options);
  }

  /**
   * @example
   * const cache = StoredToolResultCache.fromConfig(config, process.env, logger);
   * await cache?.get(tool, { q: "bun" }); // the kept output, or undefined
   */
  static fromConfig(config: Config, env: Record<string, string | undefined>, logger: Logger): StoredToolResultCache | undefined {
    const { cache } = config.proxyTools;
    if (!cache.enabled) return undefined;
    const open = LazyStore.openerFor(config.paths, env, logger, "tool-result cache");
    return open && new StoredToolResultCache({ ttlMs: cache.ttlSeconds * 1000, maxEntries: cache.maxEntries, openStore: open });
  }

  async get(tool: ProxyTool, input: unknown): Promise<ProxyToolOutput | undefined> {
    const output = this.#results.find(keyOf(tool, input));
    return output === undefined ? undefined : (JSON.parse(output) as ProxyToolOutput);
  }

  async put(tool: ProxyTool, input: unknown, output: ProxyToolOutput): Promise<void> {
    this.#results.keep(keyOf(tool, input), tool.name, JSON.stringify(output));
  }

  close(): void {
    this.#results.close();
  }
}

function keyOf(tool: ProxyTool, input: unknown): string {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(`tool\n${JSON.stringify(tool.name)}\n${writeCanonicalJson(input)}`);
  return hasher.digest("hex");
}
