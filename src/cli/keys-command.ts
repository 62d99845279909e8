/**
 * `anyclaude keys add NAME | list | revoke NAME | hash`: the client keys kept in the data dir's
 * store (only their SHA-256). A running server on the same data dir accepts a key added here, and
 * refuses one revoked here, from its next request on.
 */
import { join } from "node:path";
import { generateClientKey, hashClientKey } from "../access/client-key-secret";
import { CLIENT_KEY_NAME_PATTERN } from "../config/client-keys-config-schema";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import type { ClientKeysRepository } from "../store/client-keys-repository";
import { formatKeysHelp } from "./cli-help";
import { type CliIo, EXIT_FAILURE, EXIT_OK, reportUsageError } from "./cli-io";
import { CONFIG_OPTIONS, loadCommandConfig, readCommandOptions } from "./read-command-options";

const ACTIONS = ["add", "list", "revoke", "hash"] as const;
const LIST_OPTIONS = { ...CONFIG_OPTIONS, json: { type: "boolean" } } as const;

/**
 * @example
 * process.exitCode = await runKeysFromArgs(["add", "alice"], io); // prints the key once, alone on the last line
 */
export async function runKeysFromArgs(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === "--help" || action === "-h") {
    io.stdout(formatKeysHelp());
    return EXIT_OK;
  }
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    const problem = action === undefined ? `keys: missing action (${ACTIONS.join(", ")})` : `keys: unknown action '${action}'`;
    return reportUsageError(problem, "anyclaude keys --help", io);
  }
  const named = action === "add" || action === "revoke";
  const name = named ? rest.shift() : undefined;
  if (named && (name === undefined || name.startsWith("-") || !new RegExp(CLIENT_KEY_NAME_PATTERN).test(name))) {
    return reportUsageError(`keys ${action}: give a NAME of letters, digits, '.', '_' or '-' (64 at most)`, "anyclaude keys --help", io);
  }
  const values = readCommandOptions(`keys ${action}`, rest, action === "list" ? LIST_OPTIONS : CONFIG_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatKeysHelp());
    return EXIT_OK;
  }
  if (action === "hash") return printHash(io);
  const config = loadCommandConfig(values, io);
  if (typeof config === "number") return config;
  return withKeyStore(config, io, (keys) => {
    if (action === "list") return listKeys(keys, config, io, values.json === true);
    if (action === "revoke") return revokeKey(keys, name!, config, io);
    return addKey(keys, name!, config, io);
  });
}

function addKey(keys: ClientKeysRepository, name: string, config: Config, io: CliIo): number {
  if (config.server.keys[name] !== undefined && config.server.keys[name].limits === undefined) {
    io.stderr(`anyclaude: the configuration already has a key named ${name} (server.keys.${name})\n`);
    return EXIT_FAILURE;
  }
  if (keys.list().some((key) => key.name === name)) {
    io.stderr(`anyclaude: a key named ${name} exists; revoke it first (anyclaude keys revoke ${name})\n`);
    return EXIT_FAILURE;
  }
  const key = generateClientKey();
  keys.insert({ name, hash: hashClientKey(key), createdAt: Date.now() });
  io.stderr(`Added client key ${name}. It is shown once, below; only its hash is kept. Give it to the client as ANTHROPIC_API_KEY.\n`);
  io.stdout(`${key}\n`);
  return EXIT_OK;
}

function listKeys(keys: ClientKeysRepository, config: Config, io: CliIo, json: boolean): number {
  const stored = keys.list().map(({ name, createdAt, lastUsedAt }) => ({ name, source: "store", createdAt, lastUsedAt }));
  const configured = Object.entries(config.server.keys)
    .filter(([, entry]) => entry.limits === undefined || Object.keys(entry).length > 1)
    .map(([name]) => ({ name, source: "config", createdAt: null, lastUsedAt: null }));
  const all = [...configured, ...stored];
  if (json) {
    io.stdout(`${JSON.stringify(all, null, 2)}\n`);
    return EXIT_OK;
  }
  if (all.length === 0) {
    io.stdout("no client keys: anyclaude asks clients for none (add one with anyclaude keys add NAME)\n");
    return EXIT_OK;
  }
  const day = (at: number | null) => (at === null ? "-" : new Date(at).toISOString().replace("T", " ").slice(0, 16));
  const rows = [
    ["NAME", "SOURCE", "CREATED (UTC)", "LAST USED (UTC)"],
    ...all.map((key) => [key.name, key.source, day(key.createdAt), day(key.lastUsedAt)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  io.stdout(
    `${rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n")}\n`,
  );
  return EXIT_OK;
}

function revokeKey(keys: ClientKeysRepository, name: string, config: Config, io: CliIo): number {
  if (keys.delete(name)) {
    io.stdout(`revoked client key ${name}; a running server refuses it from its next request on\n`);
    return EXIT_OK;
  }
  const inConfig = config.server.keys[name] !== undefined || (name === "default" && config.server.apiKey !== undefined);
  io.stderr(`anyclaude: no stored key named ${name}${inConfig ? " (it is in the configuration: remove it there)" : ""}\n`);
  return EXIT_FAILURE;
}

/** The hash of a key read on standard input, for `server.keys.NAME.hash`. */
async function printHash(io: CliIo): Promise<number> {
  const key = (await io.readStdin?.())?.trim();
  if (!key) {
    io.stderr('anyclaude: keys hash reads the key on standard input (echo "$KEY" | anyclaude keys hash)\n');
    return EXIT_FAILURE;
  }
  io.stdout(`sha256:${hashClientKey(key)}\n`);
  return EXIT_OK;
}

async function withKeyStore(config: Config, io: CliIo, use: (keys: ClientKeysRepository) => number): Promise<number> {
  const [{ openStore, STORE_FILE_NAME }, { ClientKeysRepository }] = await Promise.all([
    import("../store/open-store"),
    import("../store/client-keys-repository"),
  ]);
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore({ path: join(resolveDataPaths(config.paths, io.env).dataDir, STORE_FILE_NAME) });
  } catch (error) {
    io.stderr(`anyclaude: cannot open the key store: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  try {
    for (const warning of store.warnings) io.stderr(`anyclaude: ${warning.message}\n`);
    return use(new ClientKeysRepository(store));
  } finally {
    store.close();
  }
}
