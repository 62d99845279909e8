/**
 * The HTTP server: one Elysia instance per route group, composed here, with the one error handler:
 * whatever a hook or route throws is answered in Anthropic's error shape.
 */
import { Elysia } from "elysia";
import type { ClientKey } from "../access/client-key-registry";
import { InvalidRequestError, NotFoundError, ProxyError } from "../errors/proxy-error";
import type { AppServices } from "./app-services";
import { createBrowserGuard } from "./browser-guard";
import { createCacheRoutes } from "./cache-routes";
import { createClientKeyCheck } from "./check-client-key";
import { createDashboardRoutes } from "./dashboard-routes";
import { createDocsRoutes } from "./docs-routes";
import { createHealthRoutes } from "./health-routes";
import { createHistoryRoutes } from "./history-routes";
import { createLoginRoutes } from "./login-routes";
import { createMessagesRoutes } from "./messages-routes";
import { createMetricsRoutes } from "./metrics-routes";
import { createModelsRoutes } from "./models-routes";
import { renderErrorResponse } from "./render-error-response";
import { createRequestId, readRequestId } from "./request-id";

/**
 * @example
 * const app = createApp(services);
 * const response = await app.handle(new Request("http://localhost/health"));
 */
export function createApp(services: AppServices) {
  const checkKey = createClientKeyCheck(services.access);
  // The key each request carried, for the routes that log, count and limit by it; gone with the request.
  const clientKeys = new WeakMap<Request, ClientKey>();
  return new Elysia()
    .error({ PROXY_ERROR: ProxyError })
    .use(createBrowserGuard(services.config.server, services.logger))
    .onRequest(({ request }) => {
      const decision = checkKey(request, new URL(request.url).pathname);
      if (!decision.allowed) {
        if (decision.login) return new Response(null, { status: 303, headers: { location: "/login" } });
        throw decision.error;
      }
      if (decision.key) clientKeys.set(request, decision.key);
    })
    .onError((context) => {
      const { code, error, request } = context;
      // The id a route gave the request (see request-id.ts), or a new one when it failed before any route.
      const requestId = readRequestId(context) ?? createRequestId();
      switch (code) {
        // An answer meant for the client: the request or a backend failed, not anyclaude.
        case "PROXY_ERROR":
          return renderErrorResponse(error, requestId);
        case "NOT_FOUND":
          return renderErrorResponse(new NotFoundError(`no route for ${request.method} ${new URL(request.url).pathname}`), requestId);
        case "VALIDATION":
        case "PARSE":
          return renderErrorResponse(new InvalidRequestError(error.message), requestId);
        default:
          // Anything else is a bug worth a log line.
          services.logger.error("unhandled error", { requestId, path: new URL(request.url).pathname, error });
          return renderErrorResponse(error, requestId);
      }
    })
    .use(createMessagesRoutes(services, (request) => clientKeys.get(request)))
    .use(createModelsRoutes(services))
    .use(createHealthRoutes(services))
    .use(createMetricsRoutes(services))
    .use(createCacheRoutes(services))
    .use(createHistoryRoutes(services))
    .use(createLoginRoutes(services.access))
    .use(createDashboardRoutes())
    .use(createDocsRoutes(services.version));
}
