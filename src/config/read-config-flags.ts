/**
 * Reads the configuration flags of `anyclaude serve` into a config layer. The table below is
 * also what the CLI's help and the configuration reference list, so the three cannot drift.
 */
import { type ConfigAssignment, type ConfigLayer, createLayerFromAssignments } from "./config-layer";
import { type ConfigPath, findSchemaAt } from "./config-path";
import { ConfigSchema } from "./config-schema";
import { convertConfigText } from "./convert-config-text";

/** Flag values as the command line gives them: text, converted here to the schema's types. */
export interface ConfigFlags {
  host?: string;
  port?: string;
  backend?: string[];
  logLevel?: string;
  logFormat?: string;
  dataDir?: string;
  cacheDir?: string;
  modelPath?: string;
  allowUnauthenticated?: boolean;
}

export interface ConfigFlag {
  key: keyof ConfigFlags;
  /** As typed on the command line, without the dashes. */
  name: string;
  /** Absent for a switch, which takes no value and sets `true`. */
  valueName?: string;
  path: ConfigPath;
  multiple: boolean;
  description: string;
}

export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  {
    key: "host",
    name: "host",
    valueName: "HOST",
    path: ["server", "host"],
    multiple: false,
    description: "Address to listen on (default 127.0.0.1).",
  },
  {
    key: "port",
    name: "port",
    valueName: "PORT",
    path: ["server", "port"],
    multiple: false,
    description: "Port to listen on (default 8082).",
  },
  {
    key: "backend",
    name: "backend",
    valueName: "URL",
    path: ["backends"],
    multiple: true,
    description: "Backend root URL, with or without /v1. Repeat for several; replaces the configured backends.",
  },
  {
    key: "logLevel",
    name: "log-level",
    valueName: "LEVEL",
    path: ["logging", "level"],
    multiple: false,
    description: "debug, info, warn or error.",
  },
  { key: "logFormat", name: "log-format", valueName: "FORMAT", path: ["logging", "format"], multiple: false, description: "text or json." },
  {
    key: "dataDir",
    name: "data-dir",
    valueName: "DIR",
    path: ["paths", "dataDir"],
    multiple: false,
    description: "Database and index (default $XDG_DATA_HOME/anyclaude).",
  },
  {
    key: "cacheDir",
    name: "cache-dir",
    valueName: "DIR",
    path: ["paths", "cacheDir"],
    multiple: false,
    description: "Unpacked native libraries and models (default $XDG_CACHE_HOME/anyclaude).",
  },
  {
    key: "modelPath",
    name: "model-path",
    valueName: "FILE",
    path: ["embedding", "modelPath"],
    multiple: false,
    description: "all-MiniLM-L6-v2 ONNX file for the semantic cache (default: pulled or built in).",
  },
  {
    key: "allowUnauthenticated",
    name: "allow-unauthenticated",
    path: ["server", "allowUnauthenticated"],
    multiple: false,
    description: "Listen beyond loopback even with no client key (anyone who reaches the port can use your models).",
  },
];

/**
 * @example
 * readConfigFlags({ port: "9000", backend: ["http://127.0.0.1:8080"] }).value;
 * // { server: { port: 9000 }, backends: [{ url: "http://127.0.0.1:8080" }] }
 */
export function readConfigFlags(flags: ConfigFlags): ConfigLayer {
  const assignments: ConfigAssignment[] = [];
  for (const flag of CONFIG_FLAGS) {
    const given = flags[flag.key];
    if (given === undefined || (Array.isArray(given) && given.length === 0)) continue;
    const source = `flag --${flag.name}`;
    if (typeof given === "boolean") {
      assignments.push({ path: flag.path, value: given, source });
    } else if (Array.isArray(given)) {
      // --backend is the only repeatable flag: each value is one backend's URL.
      assignments.push({ path: flag.path, value: given.map((url) => ({ url })), source });
    } else {
      assignments.push({ path: flag.path, value: convertConfigText(given, findSchemaAt(ConfigSchema, flag.path)!), source });
    }
  }
  return createLayerFromAssignments(assignments);
}
