/**
 * Liveness and the router's view of each backend. `/health` answers 200 while anyclaude serves;
 * its body says, per backend, whether it answers, whether it is in rotation, its circuit, its
 * load (in flight, queued), its latency average and its last error; with discovery on, which
 * ports are still looked at and what was found there; and, with MCP servers configured, whether
 * each is up and how many tools it offers. The health monitor keeps that fresh; with probing
 * switched off, a read older than `MAX_AGE_MS` probes first.
 */
import { Elysia } from "elysia";
import type { AppServices } from "./app-services";
import { applyConfiguredWindows } from "./apply-configured-windows";

const MAX_AGE_MS = 5_000;

export function createHealthRoutes(services: AppServices) {
  const startedAt = Date.now();
  const mcpServers = services.proxyTools?.servers;

  return (
    new Elysia({ name: "health-routes" })
      .get(
        "/health",
        async () => {
          if (!services.config.health.enabled) await services.health.probeAll(MAX_AGE_MS);
          const backends = applyConfiguredWindows(services.router.statuses(), services.config.context.windows);
          const serving = backends.filter((backend) => backend.state === "up" && backend.circuit !== "open");
          return {
            status: backends.length > 0 && serving.length === backends.length ? "ok" : serving.length > 0 ? "degraded" : "no_backend",
            version: services.version,
            uptime_s: Math.round((Date.now() - startedAt) / 1000),
            backends,
            ...(services.discovery && { discovery: services.discovery.status() }),
            ...(mcpServers ? { mcp_servers: mcpServers.statuses() } : {}),
          };
        },
        { detail: { summary: "Liveness and each backend's state", tags: ["anyclaude"] } },
      )
      // Claude Code's connectivity check when non-essential traffic is allowed.
      .head("/api/hello", () => new Response(null, { status: 200 }), { detail: { hide: true } })
  );
}
