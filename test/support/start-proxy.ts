/**
 * Starts the real anyclaude server (`startServer`, the same code `anyclaude serve` runs) on a
 * free loopback port for an integration test, with its log records kept in memory so a test can
 * read what the server said instead of it cluttering the test output.
 */
import { Value } from "@sinclair/typebox/value";
import { type BackendConfig, type Config, ConfigSchema } from "../../src/config/config-schema";
import { createLogger } from "../../src/log/logger";
import { type RunningServer, type StartOptions, startServer } from "../../src/server/start-server";

/** Any part of the config, at any depth: what is left out takes the schema's default. */
export type ConfigOverrides = { [K in keyof Config]?: K extends "backends" ? never : PartialObject<Config[K]> };

type PartialObject<T> = T extends readonly unknown[] ? T : T extends object ? { [P in keyof T]?: PartialObject<T[P]> } : T;

/** A backend entry: at least a URL; `kind` and `mode` default to `auto` as in a config file. */
export type ProxyBackend = Partial<BackendConfig> & { url: string };

export interface StartedProxy {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  server: RunningServer;
  config: Config;
  /** Every log record the server wrote, parsed from its JSON lines. */
  logs: Array<{ level: string; msg: string } & Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface StartProxyOptions extends Partial<Pick<StartOptions, "reprobeMs" | "env" | "clock" | "random" | "reopenStoreMs">> {}

/**
 * Discovery is off unless the overrides turn it on, so a test never finds an engine that happens
 * to run on this machine.
 *
 * @example
 * const backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "Hi" })));
 * const proxy = await startProxy({}, [{ url: backend.url, kind: "llamacpp", mode: "translate" }]);
 * await fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
 * await proxy.stop();
 */
export async function startProxy(
  overrides: ConfigOverrides = {},
  backends: ProxyBackend[] = [],
  options: StartProxyOptions = {},
): Promise<StartedProxy> {
  const raw: Record<string, unknown> = { backends };
  for (const [key, value] of Object.entries(overrides)) raw[key] = { ...(value as object) };
  raw.server = { host: "127.0.0.1", port: 0, ...(overrides.server ?? {}) };
  raw.discovery = { enabled: false, ...(overrides.discovery ?? {}) };
  raw.logging = { level: "debug", format: "json", ...(overrides.logging ?? {}) };
  const config = Value.Default(ConfigSchema, raw) as Config;
  if (!Value.Check(ConfigSchema, config)) {
    const first = Value.Errors(ConfigSchema, config).First();
    throw new Error(`startProxy: invalid test config at ${first?.path}: ${first?.message}`);
  }

  const logs: StartedProxy["logs"] = [];
  const logger = createLogger({ level: config.logging.level, format: "json", write: (line) => logs.push(JSON.parse(line)) });
  const server = await startServer(config, {
    logger,
    env: options.env ?? {},
    version: "0.0.0-test",
    reprobeMs: options.reprobeMs,
    clock: options.clock,
    random: options.random,
    reopenStoreMs: options.reopenStoreMs,
  });
  return { url: server.url, server, config, logs, stop: () => server.stop(0) };
}
