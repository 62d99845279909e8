/**
 * Validates a merged configuration and words every problem as a ConfigIssue: the field's path,
 * what was expected, what was found, and the source that set it.
 */
import type { TSchema } from "@sinclair/typebox";
import { Value, type ValueError, ValueErrorType } from "@sinclair/typebox/value";
import type { ConfigIssue } from "./config-error";
import { type ConfigLayer, findLayerThatSet } from "./config-layer";
import { type ConfigPath, formatConfigPath, isPlainObject, parseJsonPointer } from "./config-path";
import { ConfigSchema } from "./config-schema";
import { describeSchemaType } from "./describe-schema-type";
import { collectPromptRuleIssues } from "./prompt-config-schema";

const SECRET_FIELD = /api[-_]?key|authorization|token|secret|password/i;

/**
 * One issue per bad field (TypeBox may report a field twice, e.g. missing and not a string),
 * plus the checks the schema cannot express: URLs that match `^https?://` but do not parse,
 * backend ids used twice, prompt rules that name no target or more than one, and MCP servers
 * with neither or both of `command` and `url`.
 *
 * @example
 * collectConfigIssues({ ...config, server: { ...config.server, port: "abc" } }, layers);
 * // [{ path: "server.port", message: 'expected integer from 0 to 65535, found "abc"', source: "env ANYCLAUDE_PORT" }]
 */
export function collectConfigIssues(value: unknown, layers: readonly ConfigLayer[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const reported = new Set<string>();
  const report = (path: ConfigPath, message: string) => {
    const key = formatConfigPath(path);
    if (reported.has(key)) return;
    reported.add(key);
    const source = findLayerThatSet(layers, path)?.describeSource(path);
    issues.push(source === undefined ? { path: key, message } : { path: key, message, source });
  };
  for (const error of Value.Errors(ConfigSchema, value)) {
    const path = parseJsonPointer(error.path, value);
    report(path, describeValueError(error, path));
  }
  const backends = isPlainObject(value) && Array.isArray(value.backends) ? value.backends : [];
  const indexById = new Map<string, number>();
  backends.forEach((backend: unknown, index) => {
    if (!isPlainObject(backend)) return;
    if (typeof backend.url === "string" && /^https?:\/\//.test(backend.url) && !URL.canParse(backend.url)) {
      report(["backends", index, "url"], `expected a URL, found ${describeFound(backend.url, ["url"])}`);
    }
    if (typeof backend.id !== "string") return;
    const first = indexById.get(backend.id);
    if (first === undefined) indexById.set(backend.id, index);
    else report(["backends", index, "id"], `"${backend.id}" is already the id of backends[${first}]`);
  });
  const prompt = isPlainObject(value) && isPlainObject(value.prompt) ? value.prompt : {};
  for (const issue of collectPromptRuleIssues(prompt.rules)) report(issue.path, issue.message);
  const mcpServers = isPlainObject(value) && isPlainObject(value.mcp) && isPlainObject(value.mcp.servers) ? value.mcp.servers : {};
  for (const [name, server] of Object.entries(mcpServers)) {
    if (!isPlainObject(server) || (server.command === undefined) !== (server.url === undefined)) continue;
    report(["mcp", "servers", name], "needs either `command` (a stdio server) or `url` (a streamable-HTTP server), not both");
  }
  return issues;
}

function describeValueError(error: ValueError, path: ConfigPath): string {
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties: {
      // A map (model groups): any name is a field, as long as it has the right form.
      const [namePattern] = Object.keys((error.schema.patternProperties ?? {}) as Record<string, TSchema>);
      if (namePattern !== undefined) return `not a valid name here; names must match ${namePattern}`;
      const known = Object.keys((error.schema.properties ?? {}) as Record<string, TSchema>);
      return `unknown field; known fields here: ${known.join(", ")}`;
    }
    case ValueErrorType.ObjectRequiredProperty:
      return `missing; expected ${describeSchemaType(error.schema)}`;
    default:
      return `expected ${describeSchemaType(error.schema)}, found ${describeFound(error.value, path)}`;
  }
}

/** Shows the offending value, except under a secret-looking key where only its kind is shown. */
function describeFound(value: unknown, path: ConfigPath): string {
  const field = path[path.length - 1];
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof field === "string" && SECRET_FIELD.test(field)) return `a ${typeof value} (value hidden)`;
  const shown = JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
