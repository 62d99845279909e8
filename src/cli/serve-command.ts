/**
 * `anyclaude serve`: start the server, tell the user the one line Claude Code needs, which
 * backends answered and which one is primary, and drain in-flight streams on SIGTERM/SIGINT
 * (systemd stop, Ctrl-C).
 */
import { describeBackendModels } from "../backends/describe-backend-models";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
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
function formatServeBanner(
  server: Pick<RunningServer, "url" | "port" | "backends" | "discovered" | "discovery" | "routing">,
  config: Config,
): string {
  const host = config.server.host;
  const dialHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  const lines = [
    `anyclaude ${VERSION} listening on ${server.url}`,
    ...describeBackends(server, config),
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

function describeBackends(server: Pick<RunningServer, "backends" | "discovered" | "discovery" | "routing">, config: Config): string[] {
  const { backends, discovered } = server;
  if (backends.length === 0 && !discovered) {
    return [
      "No backend configured, and discovery is off (discovery.enabled: false). Requests will fail until",
      "anyclaude is restarted with a backend: anyclaude serve --backend http://127.0.0.1:8080",
    ];
  }
  const watching = server.discovery?.watching ?? [];
  if (backends.length === 0) {
    return [
      `No backend found yet: nothing answered on 127.0.0.1 ${describePorts(watching)}. anyclaude keeps`,
      "looking there (and at once when a request comes): start llama-server, Ollama, LM Studio or vLLM",
      "and it is used without a restart. Or name the server: anyclaude serve --backend http://127.0.0.1:8080",
    ];
  }
  // A backend down now joins once a probe passes: the monitor's, or with probing off, a request's.
  const rejoin = config.health.enabled ? `probed every ${formatSeconds(config.health.unhealthyIntervalMs)}` : "probed again on use";
  return [
    discovered ? "Backends found on local ports:" : "Backends:",
    ...backends.map((backend) => {
      const state =
        backend.state === "up"
          ? `up, models: ${describeBackendModels(backend.models ?? []) || "none listed"}`
          : `DOWN: ${backend.lastError ?? "not reachable"}; used once it answers (${rejoin})`;
      return `  ${backend.id}  ${backend.kind}, ${backend.mode} mode, ${backend.url}  ${state}`;
    }),
    ...(watching.length > 0
      ? [`Still looking on 127.0.0.1 ${describePorts(watching)}: an engine started there is used without a restart.`]
      : []),
    ...describeRouting(server.routing, new Set(backends.filter((backend) => backend.state === "up").map((backend) => backend.id)), config),
  ];
}

/** Which backend is primary for Claude Code's requests, and what happens when it fails; only backends up now are named. */
function describeRouting({ usesDefaultGroup, claudeTargets }: RunningServer["routing"], up: Set<string>, config: Config): string[] {
  if (!usesDefaultGroup) return ["Routing: as modelGroups and routes in the config say."];
  const [primary, ...others] = claudeTargets
    .filter(({ backendId }) => up.has(backendId))
    .map(({ backendId, model }) => `${backendId}/${model}`);
  if (primary === undefined) return [];
  if (others.length === 0) return [`Routing: Claude models go to ${primary}.`];
  return [
    `Routing (no model groups configured): Claude models go to ${primary}, the primary. When it fails before`,
    `answering, ${others.join(", then ")} takes over; the primary gets requests again once it answers and`,
    `its circuit cool-off (${formatSeconds(config.circuitBreaker.cooldownMs)}) is over. A model asked for by name goes first to a backend serving it.`,
  ];
}

function describePorts(ports: number[]): string {
  return `${ports.length === 1 ? "port" : "ports"} ${ports.join(", ")}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
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
