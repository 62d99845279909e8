/**
 * Imports flow one way: protocol ← translate ← backends ← router ← server ← cli. A module may
 * import its own layer and the layers this table allows, nothing above.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../../src");

/** For each top-level folder of src/, the other folders it may import from. */
const ALLOWED: Record<string, string[]> = {
  types: [],
  protocol: [],
  json: [],
  errors: ["protocol"],
  sse: [],
  log: [],
  metrics: [],
  config: [],
  // Unpacks and loads native addons; the store and the embedder will sit above it.
  native: [],
  store: ["protocol", "config", "native"],
  embed: ["native"],
  cache: ["json", "protocol", "errors", "translate", "tools", "store", "embed", "native"],
  // Text-form tool calls and input checks: pure, beside translate, which uses them.
  tools: ["protocol"],
  translate: ["json", "protocol", "tools"],
  backends: ["json", "protocol", "errors", "sse", "translate", "tools", "config"],
  router: ["json", "protocol", "errors", "translate", "tools", "config", "backends"],
  server: [
    "json",
    "protocol",
    "errors",
    "sse",
    "translate",
    "tools",
    "config",
    "backends",
    "router",
    "log",
    "metrics",
    "cache",
    "store",
    "embed",
    "native",
  ],
  cli: [
    "json",
    "protocol",
    "errors",
    "sse",
    "translate",
    "tools",
    "config",
    "backends",
    "router",
    "log",
    "metrics",
    "server",
    "native",
    "cache",
    "store",
    "embed",
  ],
};

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(path: string): string {
  return relative(SRC, path).split("/")[0]!;
}

test("every src folder has a place in the layering table", () => {
  const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
  expect(folders.filter((folder) => !(folder in ALLOWED))).toEqual([]);
});

test("imports only flow down the layers", () => {
  const violations: string[] = [];
  for (const file of listSources(SRC)) {
    const from = layerOf(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(dirname(file), match[1]!);
      if (!target.startsWith(SRC)) continue;
      const to = layerOf(target);
      if (to !== from && !ALLOWED[from]!.includes(to)) violations.push(`${relative(SRC, file)} imports ${to}/ (${match[1]})`);
    }
  }
  expect(violations).toEqual([]);
});
