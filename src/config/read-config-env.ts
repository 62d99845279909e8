/**
 * Reads `ANYCLAUDE_*` environment variables into a config layer. A short table names the
 * settings people change most; any other scalar field is reachable by its path, sections joined
 * by a double underscore (`ANYCLAUDE_DISCOVERY__TIMEOUT_MS` sets `discovery.timeoutMs`).
 */
import type { TSchema } from "@sinclair/typebox";
import type { ConfigIssue } from "./config-error";
import { type ConfigAssignment, type ConfigLayer, createLayerFromAssignments } from "./config-layer";
import { type ConfigPath, findSchemaAt, formatConfigPath } from "./config-path";
import { ConfigSchema } from "./config-schema";
import { convertConfigText, splitConfigList } from "./convert-config-text";

const PREFIX = "ANYCLAUDE_";

/** Names the configuration file; `loadConfig` reads it to find the file, it is not a setting. */
export const CONFIG_FILE_ENV_VARIABLE = "ANYCLAUDE_CONFIG";

export interface ConfigEnvVariable {
  name: string;
  path: ConfigPath;
  /** How the text is read when that is not obvious from the field's type. */
  note?: string;
}

export const CONFIG_ENV_VARIABLES: readonly ConfigEnvVariable[] = [
  { name: "ANYCLAUDE_HOST", path: ["server", "host"] },
  { name: "ANYCLAUDE_PORT", path: ["server", "port"] },
  { name: "ANYCLAUDE_MAX_BODY_BYTES", path: ["server", "maxBodyBytes"] },
  { name: "ANYCLAUDE_BACKENDS", path: ["backends"], note: "Comma-separated root URLs; replaces the whole `backends` list." },
  { name: "ANYCLAUDE_MODEL_DEFAULT", path: ["models", "default"] },
  { name: "ANYCLAUDE_MODEL_OPUS", path: ["models", "opus"] },
  { name: "ANYCLAUDE_MODEL_SONNET", path: ["models", "sonnet"] },
  { name: "ANYCLAUDE_MODEL_HAIKU", path: ["models", "haiku"] },
  { name: "ANYCLAUDE_STRIP_BILLING_HEADER", path: ["claudeCode", "stripBillingHeader"] },
  { name: "ANYCLAUDE_LOG_LEVEL", path: ["logging", "level"] },
  { name: "ANYCLAUDE_LOG_FORMAT", path: ["logging", "format"] },
  { name: "ANYCLAUDE_DATA_DIR", path: ["paths", "dataDir"] },
  { name: "ANYCLAUDE_CACHE_DIR", path: ["paths", "cacheDir"] },
  { name: "ANYCLAUDE_SEARCH_PROVIDERS", path: ["search", "providers"], note: "Comma-separated provider names, in the order tried." },
  { name: "ANYCLAUDE_SEARCH_SEARXNG_URL", path: ["search", "searxng", "url"], note: "Alone enough to search through SearXNG." },
  { name: "ANYCLAUDE_SEARCH_BRAVE_KEY", path: ["search", "brave", "apiKey"] },
  { name: "ANYCLAUDE_SEARCH_TAVILY_KEY", path: ["search", "tavily", "apiKey"] },
  { name: "ANYCLAUDE_SEARCH_SERPAPI_KEY", path: ["search", "serpapi", "apiKey"] },
  { name: "ANYCLAUDE_SEARCH_PROACTIVE", path: ["search", "proactive", "enabled"] },
];

export interface ConfigEnvReading {
  layer: ConfigLayer;
  /** Variables that cannot apply: a `__` path that does not exist, a value set twice. */
  issues: ConfigIssue[];
  /** Unknown `ANYCLAUDE_*` names without `__`, ignored: probably typos, worth a warning. */
  ignored: string[];
}

/**
 * Empty variables count as unset. A name with `__` states a config path, so a wrong one is an
 * issue like an unknown key in the file. Other unknown `ANYCLAUDE_*` names are only returned as
 * ignored: the prefix is shared with development tools (ANYCLAUDE_ENGINES_CACHE), and a
 * variable exported for them must not stop the server.
 *
 * @example
 * const { layer } = readConfigEnv({ ANYCLAUDE_PORT: "9000", ANYCLAUDE_BACKENDS: "http://127.0.0.1:8080/v1" });
 * layer.value; // { server: { port: 9000 }, backends: [{ url: "http://127.0.0.1:8080/v1" }] }
 */
export function readConfigEnv(env: Record<string, string | undefined>): ConfigEnvReading {
  const assignments: ConfigAssignment[] = [];
  const issues: ConfigIssue[] = [];
  const ignored: string[] = [];
  const nameByPath = new Map<string, string>();
  for (const name of Object.keys(env).sort()) {
    const text = env[name];
    if (!name.startsWith(PREFIX) || name === CONFIG_FILE_ENV_VARIABLE || text === undefined || text === "") continue;
    const source = `env ${name}`;
    const resolved = resolveEnvVariablePath(name);
    if ("unknown" in resolved) {
      ignored.push(name);
      continue;
    }
    if ("problem" in resolved) {
      issues.push({ path: "", message: resolved.problem, source });
      continue;
    }
    const key = formatConfigPath(resolved.path);
    const earlier = nameByPath.get(key);
    if (earlier !== undefined) {
      issues.push({ path: key, message: `set by both ${earlier} and ${name}; keep one`, source });
      continue;
    }
    nameByPath.set(key, name);
    assignments.push({ path: resolved.path, value: convertEnvText(resolved.path, resolved.schema, text), source });
  }
  return { layer: createLayerFromAssignments(assignments), issues, ignored };
}

type ResolvedPath = { path: ConfigPath; schema: TSchema } | { problem: string } | { unknown: true };

function resolveEnvVariablePath(name: string): ResolvedPath {
  const known = CONFIG_ENV_VARIABLES.find((variable) => variable.name === name);
  if (known) return { path: known.path, schema: findSchemaAt(ConfigSchema, known.path)! };
  if (!name.includes("__")) return { unknown: true };
  const path: string[] = [];
  let schema: TSchema = ConfigSchema;
  for (const segment of name.slice(PREFIX.length).split("__")) {
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    const wanted = segment.replaceAll("_", "").toLowerCase();
    const property = Object.keys(properties).find((key) => key.toLowerCase() === wanted);
    if (property === undefined) {
      const at = path.length === 0 ? "" : ` in ${path.join(".")}`;
      return { problem: `no field ${segment}${at}; fields: ${Object.keys(properties).join(", ") || "none"}` };
    }
    path.push(property);
    schema = properties[property]!;
  }
  if (!isSettableFromText(schema)) {
    return { problem: `${path.join(".")} is not a single value or a list of values; set it in the config file` };
  }
  return { path, schema };
}

function convertEnvText(path: ConfigPath, schema: TSchema, text: string): unknown {
  if (path.length === 1 && path[0] === "backends") return splitConfigList(text).map((url) => ({ url }));
  return convertConfigText(text, schema);
}

function isSettableFromText(schema: TSchema): boolean {
  if (schema.type === "array") return isScalar(schema.items as TSchema);
  return isScalar(schema);
}

function isScalar(schema: TSchema): boolean {
  return Array.isArray(schema.anyOf) || ["string", "integer", "number", "boolean"].includes(schema.type as string);
}
