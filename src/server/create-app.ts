/**
 * The HTTP server: one Elysia instance per route group, composed here, with one error handler
 * that turns anything the routes did not handle into Anthropic's error shape.
 */
import { Elysia } from "elysia";
import { InvalidRequestError, NotFoundError } from "../errors/proxy-error";
import type { AppServices } from "./app-services";
import { createBrowserGuard } from "./browser-guard";
import { createCacheRoutes } from "./cache-routes";
import { createClientKeyCheck } from "./check-client-key";
import { createDocsRoutes } from "./docs-routes";
import { createHealthRoutes } from "./health-routes";
import { createMessagesRoutes } from "./messages-routes";
import { createMetricsRoutes } from "./metrics-routes";
import { createModelsRoutes } from "./models-routes";
import { renderErrorResponse } from "./render-error-response";
import { createRequestId } from "./request-id";

/**
 * @example
 * const app = createApp(services);
 * const response = await app.handle(new Request("http://localhost/health"));
 */
export function createApp(services: AppServices) {
  const checkKey = services.clientKey === undefined ? undefined : createClientKeyCheck(services.clientKey);
  return new Elysia()
    .use(createBrowserGuard(services.config.server, services.logger))
    .onRequest(({ request }) => {
      const refused = checkKey?.(request, new URL(request.url).pathname);
      return refused ? renderErrorResponse(refused, createRequestId()) : undefined;
    })
    .onError(({ code, error, request }) => {
      const requestId = createRequestId();
      if (code === "NOT_FOUND") {
        return renderErrorResponse(new NotFoundError(`no route for ${request.method} ${new URL(request.url).pathname}`), requestId);
      }
      if (code === "VALIDATION" || code === "PARSE") {
        return renderErrorResponse(new InvalidRequestError((error as Error).message), requestId);
      }
      services.logger.error("unhandled error", { requestId, path: new URL(request.url).pathname, error });
      return renderErrorResponse(error, requestId);
    })
    .use(createMessagesRoutes(services))
    .use(createModelsRoutes(services))
    .use(createHealthRoutes(services))
    .use(createMetricsRoutes(services))
    .use(createCacheRoutes(services))
    .use(createDocsRoutes(services.version));
}
