/**
 * Reads the configuration file, YAML or JSON, into a config layer whose sources name the file
 * and the line of each field, so an error points at the line to edit.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { Document, LineCounter } from "yaml";
import { ConfigError } from "./config-error";
import type { ConfigLayer } from "./config-layer";
import { type ConfigPath, isPlainObject } from "./config-path";

/**
 * JSON is read by the YAML parser with its JSON schema: JSON is valid YAML 1.2, this keeps line
 * numbers for both, and the JSON schema still rejects bare words like `yes` or `localhost`.
 * A key left empty (`models:` with everything under it commented out) counts as unset.
 *
 * @example
 * const layer = readConfigFile("/home/me/.config/anyclaude/config.yaml");
 * layer.describeSource(["server", "port"]); // "/home/me/.config/anyclaude/config.yaml line 2"
 */
export function readConfigFile(path: string): ConfigLayer {
  const text = readText(path);
  // Loaded only when there is a file to read: the parser costs ~4 MB of resident memory.
  const { LineCounter, parseDocument } = require("yaml") as typeof import("yaml");
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    schema: looksLikeJson(path, text) ? "json" : "core",
  });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: "", message: `line ${line}, column ${col}: ${error.message}`, source: path };
      }),
    );
  }
  const value: unknown = document.toJS() ?? {};
  if (!isPlainObject(value)) {
    const found = Array.isArray(value) ? "a list" : JSON.stringify(value);
    throw new ConfigError([{ path: "", message: `expected a mapping of settings at the top level, found ${found}`, source: path }]);
  }
  return {
    value: dropNullProperties(value),
    describeSource: (fieldPath) => describeLocation(path, document, lineCounter, fieldPath),
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String(error);
    throw new ConfigError([{ path: "", message: `cannot read the config file: ${reason}`, source: path }], { cause: error });
  }
}

function looksLikeJson(path: string, text: string): boolean {
  const extension = extname(path).toLowerCase();
  if (extension === ".json") return true;
  if (extension === ".yaml" || extension === ".yml") return false;
  return text.trimStart().startsWith("{");
}

/** The line of the deepest node along `fieldPath` that the file has: a missing key points at its parent. */
function describeLocation(file: string, document: Document, lineCounter: LineCounter, fieldPath: ConfigPath): string {
  for (let length = fieldPath.length; length > 0; length--) {
    const node = document.getIn(fieldPath.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return `${file} line ${lineCounter.linePos(node.range[0]).line}`;
  }
  return file;
}

function dropNullProperties(value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null) result[key] = dropNullPropertiesWithin(item);
  }
  return result;
}

// A null list item stays: `ports: [8080, ~]` is a mistake to report, not an empty key.
function dropNullPropertiesWithin(item: unknown): unknown {
  if (Array.isArray(item)) return item.map(dropNullPropertiesWithin);
  return isPlainObject(item) ? dropNullProperties(item) : item;
}
