/**
 * Fields anyclaude once read and reads no more. A configuration written for an older version
 * still loads: such a field, in the file or as an `ANYCLAUDE_*__*` variable, is dropped with a
 * warning rather than refused as an unknown field.
 */
import { type ConfigLayer, findLayerThatSet } from "./config-layer";
import { formatConfigPath, isPlainObject } from "./config-path";

interface RemovedField {
  path: readonly string[];
  why: string;
}

const REMOVED_CONFIG_FIELDS: readonly RemovedField[] = [
  {
    path: ["server", "fullGcEveryRequests"],
    why: "the runtime's own settings keep memory flat (docs/decisions/0013-serve-collects-sooner.md)",
  },
];

/**
 * Deletes every removed field from the merged configuration; one warning for each, naming the
 * source that set it.
 *
 * @example
 * dropRemovedConfigFields({ server: { fullGcEveryRequests: 1000 } }, layers);
 * // ["ignored server.fullGcEveryRequests (/etc/anyclaude/config.yaml line 3): no longer a setting; ..."]
 */
export function dropRemovedConfigFields(merged: Record<string, unknown>, layers: readonly ConfigLayer[]): string[] {
  const warnings: string[] = [];
  for (const field of REMOVED_CONFIG_FIELDS) {
    const parent = field.path.slice(0, -1).reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), merged);
    const key = field.path.at(-1)!;
    if (!isPlainObject(parent) || !Object.hasOwn(parent, key)) continue;
    delete parent[key];
    const source = findLayerThatSet(layers, field.path)?.describeSource(field.path) ?? "unknown source";
    warnings.push(describeRemoved(field, source));
  }
  return warnings;
}

/**
 * The environment without the variables that name a removed field, and a warning for each.
 *
 * @example
 * dropRemovedConfigVariables({ ANYCLAUDE_SERVER__FULL_GC_EVERY_REQUESTS: "1000" });
 * // { env: {}, warnings: ["ignored server.fullGcEveryRequests (env ANYCLAUDE_SERVER__FULL_GC_EVERY_REQUESTS): ..."] }
 */
export function dropRemovedConfigVariables(env: Record<string, string | undefined>): {
  env: Record<string, string | undefined>;
  warnings: string[];
} {
  const kept = { ...env };
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    const field = REMOVED_CONFIG_FIELDS.find((candidate) => namesField(name, candidate.path));
    if (field === undefined || !env[name]) continue;
    delete kept[name];
    warnings.push(describeRemoved(field, `env ${name}`));
  }
  return { env: kept, warnings };
}

/** As `readConfigEnv` reads a `__` name: sections split on `__`, case and single underscores ignored. */
function namesField(name: string, path: readonly string[]): boolean {
  if (!name.startsWith("ANYCLAUDE_")) return false;
  const segments = name.slice("ANYCLAUDE_".length).split("__");
  return (
    segments.length === path.length &&
    segments.every((segment, index) => segment.replaceAll("_", "").toLowerCase() === path[index]!.toLowerCase())
  );
}

function describeRemoved(field: RemovedField, source: string): string {
  return `ignored ${formatConfigPath(field.path)} (${source}): no longer a setting; ${field.why}`;
}
