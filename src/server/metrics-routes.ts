/** `GET /metrics` in Prometheus text format. */
import { Elysia } from "elysia";
import type { AppServices } from "./app-services";

export function createMetricsRoutes(services: AppServices) {
  return new Elysia({ name: "metrics-routes" }).get(
    "/metrics",
    async () =>
      new Response(await services.metrics.registry.metrics(), {
        headers: { "content-type": services.metrics.registry.contentType },
      }),
    { detail: { summary: "Prometheus metrics", tags: ["anyclaude"] } },
  );
}
