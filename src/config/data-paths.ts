/**
 * Where anyclaude keeps its files, per the XDG base directory spec: the database and index under
 * `$XDG_DATA_HOME/anyclaude`, unpacked native libraries and models under
 * `$XDG_CACHE_HOME/anyclaude`. The config file's place is resolve-config-file-path's business.
 */
import { isAbsolute, join, resolve } from "node:path";
import { ConfigError, type ConfigIssue } from "./config-error";
import type { PathsConfig } from "./config-schema";

export interface DataPaths {
  /** Database and vector index; kept across upgrades. */
  dataDir: string;
  /** Files anyclaude can recreate: native libraries unpacked from the binary, downloaded models. */
  cacheDir: string;
}

const XDG_DEFAULTS = {
  dataDir: { variable: "XDG_DATA_HOME", underHome: [".local", "share"], flag: "--data-dir" },
  cacheDir: { variable: "XDG_CACHE_HOME", underHome: [".cache"], flag: "--cache-dir" },
} as const;

/**
 * A configured directory wins (`~/` expands to HOME, a relative path is taken from the working
 * directory); otherwise the XDG variable when it is absolute (the spec says to ignore a relative
 * one), otherwise HOME's default. Like the config file's lookup, only the given environment is
 * read, never the user database, so a test without HOME cannot touch the real user's files:
 * with neither variable nor HOME the directory must be configured, and a ConfigError says so.
 *
 * @example
 * resolveDataPaths({}, { HOME: "/home/me" });
 * // { dataDir: "/home/me/.local/share/anyclaude", cacheDir: "/home/me/.cache/anyclaude" }
 * resolveDataPaths({ cacheDir: "~/big-disk/anyclaude" }, { HOME: "/home/me", XDG_DATA_HOME: "/srv/data" });
 * // { dataDir: "/srv/data/anyclaude", cacheDir: "/home/me/big-disk/anyclaude" }
 */
export function resolveDataPaths(paths: PathsConfig, env: Record<string, string | undefined>): DataPaths {
  const issues: ConfigIssue[] = [];
  const pick = (key: keyof DataPaths): string => {
    const configured = paths[key];
    if (configured !== undefined) {
      const expanded = expandHome(configured, env);
      if (expanded !== undefined) return resolve(expanded);
      issues.push({ path: `paths.${key}`, message: `"${configured}" starts with ~/ but HOME is not set; write the full path` });
      return "";
    }
    const { variable, underHome, flag } = XDG_DEFAULTS[key];
    const xdg = env[variable];
    if (xdg && isAbsolute(xdg)) return join(xdg, "anyclaude");
    if (env.HOME) return join(env.HOME, ...underHome, "anyclaude");
    issues.push({ path: `paths.${key}`, message: `no default: neither ${variable} nor HOME is set; set ${flag} or paths.${key}` });
    return "";
  };
  const dataPaths = { dataDir: pick("dataDir"), cacheDir: pick("cacheDir") };
  if (issues.length > 0) throw new ConfigError(issues);
  return dataPaths;
}

function expandHome(path: string, env: Record<string, string | undefined>): string | undefined {
  if (path !== "~" && !path.startsWith("~/")) return path;
  return env.HOME ? join(env.HOME, path.slice(1)) : undefined;
}
