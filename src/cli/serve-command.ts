/**
 * `anyclaude serve`: start the server, tell the user the one line Claude Code needs and which
 * backends answered, and drain in-flight streams on SIGTERM/SIGINT (systemd stop, Ctrl-C).
 */
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { BackendStatus } from "../router/backend-pool";
import { type RunningServer, startServer } from "../server/start-server";
import { VERSION } from "./version";

/** Below systemd's default 90 s stop timeout and below the 10 s a user waits after Ctrl-C. */
const DRAIN_MS = 8_000;

/**
 * Resolves once the server listens; the process then lives until SIGTERM or SIGINT. A second
 * signal during the drain exits at once, so a stuck stream never holds a Ctrl-C hostage.
 *
 * @example
 * await runServe(loadConfig({ env: process.env }), createLogger({ level: "info", format: "text" }));
 */
export async function runServe(config: Config, logger: Logger): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer(config, { logger, env: process.env, version: VERSION, processMetrics: true });
  } catch (error) {
    throw describeListenFailure(error, config.server) ?? error;
  }
  process.stdout.write(formatServeBanner(server, config));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn("second signal; closing open streams now", { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info("shutting down", { signal, drainMs: DRAIN_MS });
    await server.stop(DRAIN_MS);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * What `serve` prints on stdout once it listens: the address, the backends, and the export
 * line, which names an address a client can dial (a wildcard host cannot be dialled).
 */
function formatServeBanner(server: Pick<RunningServer, "url" | "port" | "backends" | "discovered">, config: Config): string {
  const host = config.server.host;
  const dialHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  const lines = [
    `anyclaude ${VERSION} listening on ${server.url}`,
    ...describeBackends(server.backends, server.discovered, config),
    "",
    "Point Claude Code at it:",
    `  export ANTHROPIC_BASE_URL=http://${dialHost}:${server.port}`,
    // The key itself is never printed: stdout ends up in logs.
    ...(hasClientKey(config) ? ["  export ANTHROPIC_API_KEY=<your server.apiKey>"] : []),
    "",
  ];
  return `${lines.join("\n")}\n`;
}

function hasClientKey(config: Config): boolean {
  return Boolean(config.server.apiKey || config.server.apiKeyEnv || config.server.apiKeyFile);
}

function describeBackends(backends: BackendStatus[], discovered: boolean, config: Config): string[] {
  if (backends.length === 0) {
    // The backend list is fixed at start-up, so without one every request fails until a restart.
    const ports = config.discovery.ports;
    const problem = discovered
      ? `No backend found: nothing answered on 127.0.0.1 ${ports.length === 1 ? "port" : "ports"} ${ports.join(", ")}.`
      : "No backend configured, and discovery is off (discovery.enabled: false).";
    return [
      problem,
      "Requests will fail until anyclaude is restarted with a backend. Start llama-server, Ollama,",
      "LM Studio or vLLM and restart, or name the server: anyclaude serve --backend http://127.0.0.1:8080",
    ];
  }
  return [
    discovered ? "Backends found on local ports:" : "Backends:",
    ...backends.map((backend) => {
      const models = backend.models
        ?.map((model) => (model.contextWindow ? `${model.id} (${model.contextWindow} ctx)` : model.id))
        .join(", ");
      const state = backend.state === "up" ? `up, models: ${models || "none listed"}` : `DOWN: ${backend.lastError ?? "not reachable"}`;
      return `  ${backend.id}  ${backend.kind}, ${backend.mode} mode, ${backend.url}  ${state}`;
    }),
  ];
}

/** Bun reports a failed bind as an Error with `syscall: "listen"` and the errno name in `code`. */
function describeListenFailure(error: unknown, server: Config["server"]): Error | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (syscall !== "listen" || typeof code !== "string") return undefined;
  const address = `${server.host.includes(":") ? `[${server.host}]` : server.host}:${server.port}`;
  const advice: Record<string, string> = {
    EADDRINUSE: "the port is already in use; stop what holds it or choose another with --port (0 picks a free one)",
    EACCES: "permission denied; ports below 1024 need privileges, choose another with --port",
    EADDRNOTAVAIL: "no network interface has that address; check --host (127.0.0.1 or 0.0.0.0)",
  };
  const failure = new Error(`cannot listen on ${address}: ${advice[code] ?? (error as Error).message} (${code})`);
  failure.name = "ListenError";
  return failure;
}
