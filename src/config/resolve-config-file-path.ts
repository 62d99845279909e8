/**
 * Decides which configuration file to read: the one the user named, which must exist, or else
 * the per-user default file, read only when it is there.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { CONFIG_FILE_ENV_VARIABLE } from "./read-config-env";

/**
 * `named` (from `--config`) wins over ANYCLAUDE_CONFIG; without either, the default file is used
 * if it exists. Undefined means: no file, defaults and the environment only.
 *
 * @example
 * resolveConfigFilePath("./anyclaude.yaml", process.env); // "./anyclaude.yaml"
 * resolveConfigFilePath(undefined, { HOME: "/home/me" }); // "/home/me/.config/anyclaude/config.yaml" if it exists
 */
export function resolveConfigFilePath(named: string | undefined, env: Record<string, string | undefined>): string | undefined {
  const explicit = named ?? (env[CONFIG_FILE_ENV_VARIABLE] || undefined);
  if (explicit !== undefined) return explicit;
  const defaultPath = findDefaultConfigFilePath(env);
  return defaultPath !== undefined && existsSync(defaultPath) ? defaultPath : undefined;
}

/**
 * Where the default file lives, following the XDG base directory spec. It is derived from the
 * given environment only (no fallback to the OS user database), so a caller that passes an
 * environment without HOME, as tests do, never picks up the real user's file.
 *
 * @example
 * findDefaultConfigFilePath({ XDG_CONFIG_HOME: "/cfg" }); // "/cfg/anyclaude/config.yaml"
 * findDefaultConfigFilePath({ HOME: "/home/me" }); // "/home/me/.config/anyclaude/config.yaml"
 */
function findDefaultConfigFilePath(env: Record<string, string | undefined>): string | undefined {
  const xdgConfigHome = env.XDG_CONFIG_HOME;
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdgConfigHome && isAbsolute(xdgConfigHome)) return join(xdgConfigHome, "anyclaude", "config.yaml");
  if (env.HOME) return join(env.HOME, ".config", "anyclaude", "config.yaml");
  return undefined;
}
