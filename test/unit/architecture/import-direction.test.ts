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
  // log: the progress display of an index rebuild.
  cache: ["json", "protocol", "errors", "translate", "store", "embed", "native", "log"],
  // Calls a model wrote as text and the checks of a call's input: pure, below translate.
  "tool-calls": ["protocol"],
  translate: ["json", "protocol", "tool-calls"],
  // The request history: rows into the store, summaries out of it.
  history: ["store"],
  // Who may call and how much: client keys, their limits, login sessions; the store is handed in.
  access: ["config", "errors", "protocol"],
  // Pure planning of what fits a window; counting and summarizing are handed in.
  context: ["json", "protocol", "errors", "translate", "config"],
  // Slims system prompts and tool definitions; reads its tier names from the config schema.
  prompt: ["json", "protocol", "translate", "config"],
  // The proxy-run tool loop (model call handed in), which reads translate and cache.
  "proxy-tools": ["json", "protocol", "errors", "translate", "cache", "tool-calls"],
  // Adapters from MCP servers to the tools' interface.
  mcp: ["protocol", "errors", "config", "log", "proxy-tools"],
  // Search providers and the searcher (cache and observer handed in), proactive search, and the web_search server tool.
  search: ["protocol", "errors", "config", "log", "tool-calls", "proxy-tools"],
  backends: ["json", "protocol", "errors", "sse", "translate", "tool-calls", "config"],
  router: ["json", "protocol", "errors", "translate", "config", "backends"],
  server: [
    "json",
    "protocol",
    "errors",
    "sse",
    "translate",
    "prompt",
    "config",
    "backends",
    "router",
    "log",
    "metrics",
    "cache",
    "store",
    "embed",
    "native",
    "context",
    "tool-calls",
    "proxy-tools",
    "mcp",
    "search",
    "history",
    "access",
  ],
  cli: [
    "json",
    "protocol",
    "errors",
    "sse",
    "translate",
    "prompt",
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
    "context",
    "tool-calls",
    "proxy-tools",
    "mcp",
    "search",
    "history",
    "access",
  ],
};

/** Lists of words with no imports of their own (the configuration's choices), which every layer may read. */
const READ_BY_EVERY_LAYER = ["config/config-choices.ts"];

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
      if (READ_BY_EVERY_LAYER.includes(`${relative(SRC, target)}.ts`)) continue;
      if (to !== from && !ALLOWED[from]!.includes(to)) violations.push(`${relative(SRC, file)} imports ${to}/ (${match[1]})`);
    }
  }
  expect(violations).toEqual([]);
});

test("what every layer may read imports nothing", () => {
  for (const file of READ_BY_EVERY_LAYER) expect(readFileSync(join(SRC, file), "utf8")).not.toMatch(/^\s*import\b/m);
});
