/**
 * The client keys the configuration names, as hashes: `server.keys` (a hash, or a secret read
 * inline, from a variable or from a file) and `server.apiKey`, which is the key named `default`.
 * A secret that cannot be read stops start-up with the field's path.
 */
import type { ClientKeyConfig } from "../config/client-keys-config-schema";
import { ConfigError, type ConfigIssue } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { readSecret, SecretUnavailableError } from "../config/read-secret";
import type { ConfiguredClientKey } from "./client-key-registry";
import { hashClientKey } from "./client-key-secret";

/** The name `server.apiKey` goes by in logs, metrics and the history. */
const API_KEY_NAME = "default";

/**
 * @example
 * readConfiguredKeys(config.server, process.env); // [{ name: "default", hash: "5d4a..." }, { name: "alice", hash: "..." }]
 */
export function readConfiguredKeys(server: Config["server"], env: Record<string, string | undefined>): ConfiguredClientKey[] {
  const issues: ConfigIssue[] = [];
  const read = (path: string, source: ClientKeyConfig | Config["server"]): string | undefined => {
    try {
      return readSecret(source, env);
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      issues.push({ path: `${path}.${source.apiKeyEnv ? "apiKeyEnv" : "apiKeyFile"}`, message: error.message });
      return undefined;
    }
  };
  const keys: ConfiguredClientKey[] = [];
  const apiKey = read("server", server);
  if (apiKey !== undefined) {
    if (server.keys[API_KEY_NAME])
      issues.push({ path: `server.keys.${API_KEY_NAME}`, message: "server.apiKey is already the key named default" });
    keys.push({ name: API_KEY_NAME, hash: hashClientKey(apiKey) });
  }
  for (const [name, entry] of Object.entries(server.keys)) {
    const sources = [entry.hash, entry.apiKey, entry.apiKeyEnv, entry.apiKeyFile].filter((source) => source !== undefined);
    if (sources.length > 1) issues.push({ path: `server.keys.${name}`, message: "give one of hash, apiKey, apiKeyEnv and apiKeyFile" });
    const secret = entry.hash === undefined ? read(`server.keys.${name}`, entry) : undefined;
    const hash = entry.hash?.replace(/^sha256:/, "") ?? (secret === undefined ? undefined : hashClientKey(secret));
    keys.push({ name, hash, limits: entry.limits });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return keys;
}
