/**
 * `anyclaude cache stats [--json]` and `anyclaude cache clear`: the response cache as the
 * configuration describes it (same file, environment and flags as `serve`), read or emptied
 * through the same code the server uses. Both work while a server runs on the same data dir.
 */
import type { ResponseCacheStats } from "../cache/response-cache";
import { createLogger } from "../log/logger";
import { createResponseCache } from "../server/create-response-cache";
import type { CacheMetricsCounts } from "../store/cache-metrics-repository";
import { formatCacheHelp } from "./cli-help";
import { type CliIo, EXIT_FAILURE, EXIT_OK, reportUsageError } from "./cli-io";
import { CONFIG_OPTIONS, loadCommandConfig, readCommandOptions } from "./read-command-options";

const STATS_OPTIONS = { ...CONFIG_OPTIONS, json: { type: "boolean" } } as const;

/**
 * @example
 * process.exitCode = await runCacheFromArgs(["stats"], io);
 */
export async function runCacheFromArgs(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === "--help" || action === "-h") {
    io.stdout(formatCacheHelp());
    return EXIT_OK;
  }
  if (action !== "stats" && action !== "clear") {
    return reportUsageError(
      action === undefined ? "cache: missing action (stats, clear)" : `cache: unknown action '${action}'`,
      "anyclaude cache --help",
      io,
    );
  }
  const values = readCommandOptions(`cache ${action}`, rest, action === "stats" ? STATS_OPTIONS : CONFIG_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatCacheHelp());
    return EXIT_OK;
  }
  const config = loadCommandConfig(values, io);
  if (typeof config === "number") return config;
  const logger = createLogger({ level: "warn", format: "text", write: (line) => io.stderr(`${line}\n`) });
  const cache = createResponseCache(config, { env: io.env, logger });
  if (!cache) {
    io.stderr(
      `anyclaude: the response cache is ${config.cache.enabled ? "unavailable (see the warning above)" : "off (cache.enabled: false)"}\n`,
    );
    return EXIT_FAILURE;
  }
  try {
    if (action === "clear") {
      await cache.clear();
      io.stdout(
        `cleared the ${config.cache.store === "redis" ? `Redis cache (${config.cache.redis.keyPrefix}*, shared by every instance using it)` : "exact cache"} and the semantic cache; counters kept\n`,
      );
      return EXIT_OK;
    }
    const stats = await cache.stats();
    io.stdout(values.json ? `${JSON.stringify(stats, null, 2)}\n` : formatCacheStats(stats));
    return stats.exact && "error" in stats.exact ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await cache.close();
  }
}

/**
 * @example
 * formatCacheStats(await cache.stats()); // "exact cache (sqlite): 12 entries, 48.2 KB\n..."
 */
export function formatCacheStats(stats: ResponseCacheStats): string {
  const lines: string[] = [];
  if (!stats.exact) lines.push("exact cache: off");
  else if ("error" in stats.exact) lines.push(`exact cache (${stats.store}): unreadable: ${stats.exact.error}`);
  else lines.push(`exact cache (${stats.store}): ${stats.exact.entries} entries, ${formatBytes(stats.exact.bytes)}`);
  const semantic = stats.semantic;
  lines.push(semantic ? `semantic cache: ${semantic.entries} entries` : "semantic cache: off");
  const { today, total } = stats.counters;
  const rows: Array<[string, (counts: CacheMetricsCounts) => string]> = [
    ["hits", (c) => String(c.hits)],
    ["semantic hits", (c) => String(c.semanticHits)],
    ["misses", (c) => String(c.misses)],
    ["bypasses", (c) => String(c.bypasses)],
    ["store errors", (c) => String(c.storeErrors)],
    ["hit rate", (c) => formatRate(c.hits + c.semanticHits, c.hits + c.semanticHits + c.misses)],
    ["bytes saved", (c) => formatBytes(c.bytesSaved)],
    ["tokens saved", (c) => String(c.tokensSaved)],
    ["mean lookup", (c) => (c.lookups === 0 ? "-" : `${(c.lookupMicrosSum / c.lookups / 1000).toFixed(2)} ms`)],
  ];
  lines.push("", `${"".padEnd(14)}${"today (UTC)".padStart(14)}${"all days".padStart(14)}`);
  for (const [label, show] of rows) lines.push(`${label.padEnd(14)}${show(today).padStart(14)}${show(total).padStart(14)}`);
  lines.push("", "A running server writes its counters every 10 s; `GET /v1/cache/stats` shows them live.");
  return `${lines.join("\n")}\n`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function formatRate(part: number, whole: number): string {
  return whole === 0 ? "-" : `${((part / whole) * 100).toFixed(1)} %`;
}
