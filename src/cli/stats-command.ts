/**
 * `anyclaude stats [--url URL] [--key KEY] [--json]`: what the proxy did over the last hour and
 * the last day, the summary `/dashboard` shows. Asked of the running server the configuration
 * names (or `--url`), which also knows each backend's state now, with a client key when it wants
 * one; with none answering, read from the database file in the data dir.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import { readSecret } from "../config/read-secret";
import { parseStatsWindow } from "../history/parse-stats-window";
import type { RequestStats } from "../history/request-stats-schema";
import { formatStatsHelp } from "./cli-help";
import { type CliIo, EXIT_FAILURE, EXIT_OK } from "./cli-io";
import { formatRequestStats, type StatsReport } from "./format-request-stats";
import { CONFIG_OPTIONS, loadCommandConfig, readCommandOptions } from "./read-command-options";

const STATS_OPTIONS = { ...CONFIG_OPTIONS, json: { type: "boolean" }, url: { type: "string" }, key: { type: "string" } } as const;
const WINDOWS = { hour: "1h", day: "24h" } as const;
const ASK_TIMEOUT_MS = 3_000;

/**
 * @example
 * process.exitCode = await runStatsFromArgs(["--json"], io);
 */
export async function runStatsFromArgs(args: string[], io: CliIo): Promise<number> {
  const values = readCommandOptions("stats", args, STATS_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatStatsHelp());
    return EXIT_OK;
  }
  const config = loadCommandConfig(values, io);
  if (typeof config === "number") return config;
  const url = (values.url as string | undefined)?.replace(/\/+$/, "");
  let report: StatsReport | string;
  try {
    const key = (values.key as string | undefined) ?? readSecret(config.server, io.env) ?? io.env.ANTHROPIC_API_KEY;
    report = (await askServer(url ?? findServerUrl(config), key, url !== undefined)) ?? (await readDatabaseFile(config, io.env));
  } catch (error) {
    io.stderr(`anyclaude: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  if (typeof report === "string") {
    io.stderr(`anyclaude: ${report}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatRequestStats(report));
  return EXIT_OK;
}

/** Where `serve` with this configuration listens, as a client on this machine reaches it. */
function findServerUrl(config: Config): string {
  const host = config.server.host === "0.0.0.0" ? "127.0.0.1" : config.server.host === "::" ? "::1" : config.server.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.server.port}`;
}

/**
 * Undefined when nothing listens there and no URL was given (then the file is read); an error
 * for a server that answers wrongly, or a URL given that cannot be reached.
 */
async function askServer(url: string, key: string | undefined, required: boolean): Promise<StatsReport | undefined> {
  const ask = async (window: string): Promise<RequestStats> => {
    const response = await fetch(`${url}/api/stats?window=${window}`, {
      headers: key === undefined ? {} : { "x-api-key": key },
      signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
    });
    const body = (await response.json()) as RequestStats | { error?: { message?: string } };
    if (!response.ok) {
      const hint = response.status === 401 ? " (give a client key: --key, or ANTHROPIC_API_KEY)" : "";
      throw new Error(`${url} answered ${response.status}: ${(body as { error?: { message?: string } }).error?.message}${hint}`);
    }
    return body as RequestStats;
  };
  try {
    return { source: url, hour: await ask(WINDOWS.hour), day: await ask(WINDOWS.day) };
  } catch (error) {
    if (required || !isNothingListening(error)) throw error;
    return undefined;
  }
}

function isNothingListening(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ConnectionRefused" || code === "ECONNREFUSED";
}

/** The same summary from the database file, without the backends' live state; a reason when there is none. */
async function readDatabaseFile(config: Config, env: Record<string, string | undefined>): Promise<StatsReport | string> {
  const [{ openStore, STORE_FILE_NAME }, { RequestHistoryRepository }, { readRequestStats }] = await Promise.all([
    import("../store/open-store"),
    import("../store/request-history-repository"),
    import("../history/read-request-stats"),
  ]);
  const path = join(resolveDataPaths(config.paths, env).dataDir, STORE_FILE_NAME);
  if (!existsSync(path)) return `no server answered at ${findServerUrl(config)} and there is no history yet at ${path}`;
  const store = openStore({ path });
  try {
    const repository = new RequestHistoryRepository(store.db);
    const now = Date.now();
    return {
      source: path,
      hour: readRequestStats(repository, { now, windowMs: parseStatsWindow(WINDOWS.hour)! }),
      day: readRequestStats(repository, { now, windowMs: parseStatsWindow(WINDOWS.day)! }),
    };
  } finally {
    store.close();
  }
}
