/**
 * A layer is what one source (the file, the environment, the flags) says about the
 * configuration, and where it said each thing. Layers merge in order: objects merge key by key,
 * anything else (arrays included) is replaced whole, and the last layer to set a field owns it,
 * which is the source a config error about that field names.
 */
import { type ConfigPath, formatConfigPath, isPlainObject } from "./config-path";

export interface ConfigLayer {
  value: Record<string, unknown>;
  /** Where this source set `path`, or the nearest enclosing field it set. */
  describeSource(path: ConfigPath): string;
}

export interface ConfigAssignment {
  path: ConfigPath;
  value: unknown;
  /** e.g. `env ANYCLAUDE_PORT`, `flag --port`. */
  source: string;
}

/**
 * Builds a layer from single assignments, which is how the environment and the flags speak.
 *
 * @example
 * const layer = createLayerFromAssignments([{ path: ["server", "port"], value: 9000, source: "flag --port" }]);
 * layer.value; // { server: { port: 9000 } }
 */
export function createLayerFromAssignments(assignments: readonly ConfigAssignment[]): ConfigLayer {
  const value: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const assignment of assignments) {
    setAtPath(value, assignment.path, assignment.value);
    sources.set(formatConfigPath(assignment.path), assignment.source);
  }
  return {
    value,
    describeSource(path) {
      for (let length = path.length; length >= 0; length--) {
        const source = sources.get(formatConfigPath(path.slice(0, length)));
        if (source !== undefined) return source;
      }
      return "unknown source";
    },
  };
}

/**
 * Merges layer values, later over earlier, into a fresh object the layers do not share.
 *
 * @example
 * mergeConfigLayerValues([{ server: { host: "a", port: 1 } }, { server: { port: 2 } }]);
 * // { server: { host: "a", port: 2 } }
 */
export function mergeConfigLayerValues(values: readonly Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const value of values) mergeInto(merged, structuredClone(value));
  return merged;
}

/** The last layer that set `path` or replaced a field enclosing it; undefined means a default. */
export function findLayerThatSet(layers: readonly ConfigLayer[], path: ConfigPath): ConfigLayer | undefined {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]!;
    if (setsPath(layer.value, path)) return layer;
  }
  return undefined;
}

function setsPath(value: Record<string, unknown>, path: ConfigPath): boolean {
  let node: unknown = value;
  for (const segment of path) {
    if (!isPlainObject(node)) return true; // this layer replaced an enclosing array or scalar whole
    if (!Object.hasOwn(node, segment) || node[segment] === undefined) return false;
    node = node[segment];
  }
  return true;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value);
    else target[key] = value;
  }
}

function setAtPath(target: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const key = String(segment);
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[String(path[path.length - 1])] = value;
}
