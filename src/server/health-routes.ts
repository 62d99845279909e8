/**
 * Liveness and backend state. `/health` answers 200 while anyclaude serves; its body says
 * whether each backend answered its last check (refreshed when older than `maxAgeMs`).
 */
import { Elysia } from "elysia";
import type { AppServices } from "./app-services";

const MAX_AGE_MS = 5_000;
const REFRESH_TIMEOUT_MS = 2_000;

export function createHealthRoutes(services: AppServices) {
  const startedAt = Date.now();
  let lastRefresh = 0;

  return new Elysia({ name: "health-routes" })
    .get(
      "/health",
      async () => {
        if (Date.now() - lastRefresh > MAX_AGE_MS) {
          lastRefresh = Date.now();
          await services.pool.refresh(AbortSignal.timeout(REFRESH_TIMEOUT_MS));
        }
        const backends = services.pool.statuses();
        const up = backends.filter((backend) => backend.state === "up").length;
        return {
          status: backends.length > 0 && up === backends.length ? "ok" : up > 0 ? "degraded" : "no_backend",
          version: services.version,
          uptime_s: Math.round((Date.now() - startedAt) / 1000),
          backends,
        };
      },
      { detail: { summary: "Liveness and each backend's state", tags: ["anyclaude"] } },
    )
    // Claude Code's connectivity check when non-essential traffic is allowed.
    .head("/api/hello", () => new Response(null, { status: 200 }), { detail: { hide: true } });
}
