/**
 * `anyclaude serve`: start the server, tell the user the one line Claude Code needs and which
 * backends answered, and drain in-flight streams on SIGTERM/SIGINT (systemd stop, Ctrl-C).
 */
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { BackendStatus } from "../router/backend-pool";
import { startServer } from "../server/start-server";
import { VERSION } from "./version";

const DRAIN_MS = 8_000;

export async function runServe(config: Config, logger: Logger): Promise<void> {
  const server = await startServer(config, { logger, env: process.env, version: VERSION, processMetrics: true });
  const clientHost = config.server.host === "0.0.0.0" || config.server.host === "::" ? "127.0.0.1" : config.server.host;
  const lines = [
    `anyclaude ${VERSION} listening on ${server.url}`,
    ...describeBackends(server.backends, server.discovered, config.discovery.ports),
    "",
    "Point Claude Code at it:",
    `  export ANTHROPIC_BASE_URL=http://${clientHost}:${server.port}`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal, drainMs: DRAIN_MS });
    await server.stop(DRAIN_MS);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function describeBackends(backends: BackendStatus[], discovered: boolean, ports: number[]): string[] {
  if (backends.length === 0) {
    return [
      discovered
        ? `No backend found on the usual local ports (${ports.join(", ")}).`
        : "No backend configured.",
      "Start llama-server, Ollama, LM Studio or vLLM, or pass --backend URL (see anyclaude serve --help).",
    ];
  }
  return [
    discovered ? "Backends found on local ports:" : "Backends:",
    ...backends.map((backend) => {
      const models = backend.models?.map((model) => (model.contextWindow ? `${model.id} (${model.contextWindow} ctx)` : model.id)).join(", ");
      const state = backend.state === "up" ? `up, models: ${models || "none listed"}` : `DOWN: ${backend.lastError ?? "not reachable"}`;
      return `  ${backend.id}  ${backend.kind}, ${backend.mode} mode, ${backend.url}  ${state}`;
    }),
  ];
}
