/**
 * `GET /v1/cache/stats`: what the response cache holds (entries and bytes in its store, semantic
 * entries, whether the model is loaded) and its counters, over every day kept and today. The
 * same report `anyclaude cache stats` prints; 404 when the cache is off.
 */
import { Elysia } from "elysia";
import { NotFoundError } from "../errors/proxy-error";
import type { AppServices } from "./app-services";

export function createCacheRoutes(services: AppServices) {
  return new Elysia({ name: "cache-routes" }).get(
    "/v1/cache/stats",
    async () => {
      if (!services.cache) throw new NotFoundError("the response cache is off (cache.enabled, or its data directory cannot be used)");
      return services.cache.stats();
    },
    {
      detail: { summary: "Response cache contents and counters (hits, misses, bytes and tokens saved, lookup time)", tags: ["anyclaude"] },
    },
  );
}
