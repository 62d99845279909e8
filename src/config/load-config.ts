/**
 * Builds the configuration anyclaude runs with: schema defaults, then the config file, then
 * `ANYCLAUDE_*` environment variables, then command-line flags, validated as a whole.
 */
import { Value } from "@sinclair/typebox/value";
import { collectConfigIssues } from "./collect-config-issues";
import { ConfigError, type ConfigIssue } from "./config-error";
import { type ConfigLayer, mergeConfigLayerValues } from "./config-layer";
import { type Config, ConfigSchema } from "./config-schema";
import { dropRemovedConfigFields, dropRemovedConfigVariables } from "./drop-removed-config-fields";
import { normalizeBackendUrl } from "./normalize-backend-url";
import { readConfigEnv } from "./read-config-env";
import { readConfigFile } from "./read-config-file";
import { type ConfigFlags, readConfigFlags } from "./read-config-flags";
import { resolveConfigFilePath } from "./resolve-config-file-path";

export interface ConfigSources {
  /** From `--config`; without it ANYCLAUDE_CONFIG, then the per-user default file if it exists. */
  file?: string;
  /** Read for `ANYCLAUDE_*`, and for XDG_CONFIG_HOME / HOME to find the default file. */
  env: Record<string, string | undefined>;
  flags: ConfigFlags;
  /** Told about what was ignored (unknown ANYCLAUDE_* names, removed fields); the CLI logs it once the logger exists. */
  onWarning?: (message: string) => void;
}

/**
 * Objects merge key by key across layers; lists (such as `backends`) are replaced whole by the
 * later layer. Every problem from every source is collected before throwing one ConfigError, so
 * a single run lists everything to fix. Backend URLs come back in root form (no `/v1`).
 *
 * @example
 * const config = loadConfig({ env: process.env, flags: { port: "9000", backend: ["http://127.0.0.1:8080/v1"] } });
 * config.server.port; // 9000
 * config.backends[0].url; // "http://127.0.0.1:8080"
 */
export function loadConfig(sources: ConfigSources): Config {
  const issues: ConfigIssue[] = [];
  const layers: ConfigLayer[] = [];
  const filePath = resolveConfigFilePath(sources.file, sources.env);
  if (filePath !== undefined) {
    try {
      layers.push(readConfigFile(filePath));
    } catch (error) {
      // Keep going without the file so problems in the environment and flags are listed too.
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  const current = dropRemovedConfigVariables(sources.env);
  for (const warning of current.warnings) sources.onWarning?.(warning);
  const env = readConfigEnv(current.env);
  issues.push(...env.issues);
  for (const name of env.ignored) {
    sources.onWarning?.(`ignored unknown environment variable ${name}; the ANYCLAUDE_* settings are listed in docs/configuration.md`);
  }
  layers.push(env.layer, readConfigFlags(sources.flags));

  const merged = mergeConfigLayerValues(layers.map((layer) => layer.value));
  for (const warning of dropRemovedConfigFields(merged, layers)) sources.onWarning?.(warning);
  const config: unknown = Value.Default(ConfigSchema, merged);
  issues.push(...collectConfigIssues(config, layers));
  if (issues.length > 0) throw new ConfigError(issues);

  const valid = config as Config;
  // After validation, so an error shows the URL as the user wrote it.
  for (const backend of valid.backends) backend.url = normalizeBackendUrl(backend.url);
  return valid;
}
