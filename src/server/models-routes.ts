/**
 * `GET /v1/models` and `GET /v1/models/:id`: the local models and the Claude names mapped onto
 * them, after reading the lists still unknown (an engine that came up since).
 */
import { Elysia, t } from "elysia";
import { NotFoundError } from "../errors/proxy-error";
import type { AppServices } from "./app-services";
import { listModels } from "./list-models";

export function createModelsRoutes(services: AppServices) {
  return new Elysia({ name: "models-routes" })
    .get(
      "/v1/models",
      async ({ query, request }) => {
        await services.router.findBackends(request.signal);
        return listModels(services.router, services.config, { limit: query.limit, after_id: query.after_id });
      },
      {
        query: t.Object({ limit: t.Optional(t.Numeric()), after_id: t.Optional(t.String()), before_id: t.Optional(t.String()) }),
        detail: { summary: "List models", tags: ["Anthropic"] },
      },
    )
    .get(
      "/v1/models/:id",
      async ({ params, request }) => {
        await services.router.findBackends(request.signal);
        const found = listModels(services.router, services.config, { limit: 1000 }).data.find((model) => model.id === params.id);
        if (!found) throw new NotFoundError(`model "${params.id}" not found`);
        return found;
      },
      { detail: { summary: "Get a model", tags: ["Anthropic"] } },
    );
}
