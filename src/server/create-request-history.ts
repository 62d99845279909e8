/**
 * Builds the request history from the config: rows go to the SQLite store in the data dir
 * (always the local file, whatever `cache.store` says: each instance keeps its own), opened on
 * the first write or read with its modules, so an idle server holds neither. A data dir that
 * cannot be used is one warning; the proxy goes on, the rows are kept (within a limit), and the
 * store is tried again now and then, quietly, until the data dir can be used.
 */
import { join } from "node:path";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import { type OpenedHistoryStore, RequestHistory } from "../history/request-history";
import type { Logger } from "../log/logger";

const DAY_MS = 86_400_000;

/**
 * Undefined when `history.enabled` is false.
 *
 * @example
 * const history = createRequestHistory(config, { env: process.env, logger });
 * history?.record(describeFinishedRequest({ ... }));
 */
export function createRequestHistory(
  config: Config,
  options: { env: Record<string, string | undefined>; logger: Logger; reopenAfterMs?: number },
): RequestHistory | undefined {
  const settings = config.history;
  if (!settings.enabled) return undefined;
  const { logger } = options;
  const quiet: Logger = { ...logger, warn: (message, fields) => logger.debug(message, fields) };
  let failures = 0;
  return new RequestHistory({
    open: async () => {
      const opened = await openHistoryStore(config, { env: options.env, logger: failures > 0 ? quiet : logger });
      if (opened && failures > 0) logger.info("request history open again", { failedOpens: failures });
      failures = opened ? 0 : failures + 1;
      return opened;
    },
    reopenAfterMs: options.reopenAfterMs,
    flushIntervalMs: settings.flushIntervalMs,
    maxAgeMs: settings.maxAgeDays * DAY_MS,
    maxRows: settings.maxRows,
    onError: (message, error) => logger.warn(message, { error: (error as Error | undefined)?.message }),
    onRecovered: () => logger.info("request history written again"),
  });
}

async function openHistoryStore(
  config: Config,
  options: { env: Record<string, string | undefined>; logger: Logger },
): Promise<OpenedHistoryStore | undefined> {
  const [{ openStore, STORE_FILE_NAME }, { RequestHistoryRepository }] = await Promise.all([
    import("../store/open-store"),
    import("../store/request-history-repository"),
  ]);
  try {
    const store = openStore({ path: join(resolveDataPaths(config.paths, options.env).dataDir, STORE_FILE_NAME) });
    for (const warning of store.warnings) options.logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });
    return { repository: new RequestHistoryRepository(store.db), close: () => store.close() };
  } catch (error) {
    options.logger.warn("request history paused: its data directory cannot be used; rows are kept and it is tried again", {
      error: (error as Error).message,
    });
    return undefined;
  }
}
