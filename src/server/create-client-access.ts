/**
 * Builds who may use the server and how much: the client keys (the configuration's, and the
 * store's that `anyclaude keys` manages), their limits with today's token counts read back from
 * the request history, and the dashboard's login sessions. A data dir that cannot be used leaves
 * the configured keys alone in force, with a warning.
 */
import { join } from "node:path";
import { ClientKeyRegistry, type StoredClientKeys } from "../access/client-key-registry";
import { ClientLimits } from "../access/client-limits";
import { readConfiguredKeys } from "../access/read-configured-keys";
import { SessionTokens } from "../access/session-tokens";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import type { Logger } from "../log/logger";

export interface ClientAccess {
  keys: ClientKeyRegistry;
  limits: ClientLimits;
  sessions: SessionTokens;
  close(): void;
}

const DAY_MS = 86_400_000;
const SESSION_TTL_MS = 12 * 3_600_000;

/**
 * Throws ConfigError for a configured key whose secret cannot be read.
 *
 * @example
 * const access = await createClientAccess(config, { env: process.env, logger });
 * access.keys.identify(presentedKey); // { name: "alice", limits: {...} } or undefined
 */
export async function createClientAccess(
  config: Config,
  options: { env: Record<string, string | undefined>; logger: Logger; now?: () => number },
): Promise<ClientAccess> {
  const now = options.now ?? Date.now;
  const configured = readConfiguredKeys(config.server, options.env);
  const store = await openKeyStore(config, options);
  const tokensToday = store?.repository.sumTokensSince(Math.floor(now() / DAY_MS) * DAY_MS);
  return {
    keys: new ClientKeyRegistry({
      configured,
      stored: store?.repository,
      defaultLimits: config.server.keyLimits,
      now,
      onError: (message, error) => options.logger.warn(message, { error: (error as Error).message }),
    }),
    limits: new ClientLimits({ maxInFlight: config.server.maxInFlight, now, tokensToday }),
    sessions: new SessionTokens({ ttlMs: SESSION_TTL_MS, now }),
    close: () => store?.close(),
  };
}

async function openKeyStore(
  config: Config,
  options: { env: Record<string, string | undefined>; logger: Logger },
): Promise<{ repository: StoredClientKeys & { sumTokensSince(since: number): Map<string, number> }; close(): void } | undefined> {
  const [{ openStore, STORE_FILE_NAME }, { ClientKeysRepository }] = await Promise.all([
    import("../store/open-store"),
    import("../store/client-keys-repository"),
  ]);
  try {
    const store = openStore({ path: join(resolveDataPaths(config.paths, options.env).dataDir, STORE_FILE_NAME) });
    for (const warning of store.warnings) options.logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });
    return { repository: new ClientKeysRepository(store), close: () => store.close() };
  } catch (error) {
    options.logger.warn("client keys of the store unavailable: its data directory cannot be used; configured keys only", {
      error: (error as Error).message,
    });
    return undefined;
  }
}
