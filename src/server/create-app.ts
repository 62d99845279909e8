/**
 * The HTTP server: one Elysia instance per route group, composed here, with the one error handler:
 * whatever a hook or route throws is answered in Anthropic's error shape.
 */
import { Elysia } from "elysia";
import type { ClientKey } from "../access/client-key-registry";
import { InvalidRequestError, NotFoundError, ProxyError, toProxyError } from "../errors/proxy-error";
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
import { recordRefusedRequest } from "./record-refused-request";
import { renderErrorResponse } from "./render-error-response";
import { createRequestId, RequestIds } from "./request-id";

/**
 * @example
 * const app = createApp(services);
 * const response = await app.handle(new Request("http://localhost/health"));
 */
export function createApp(services: AppServices) {
  const checkKey = createClientKeyCheck(services.access);
  // The key each request carried, for the routes that log, count and limit by it; gone with the request.
  const clientKeys = new WeakMap<Request, ClientKey>();
  // When each request arrived, for the latency of one refused before any route (its history row).
  const arrivals = new WeakMap<Request, number>();
  const requestIds = new RequestIds();
  return new Elysia()
    .error({ PROXY_ERROR: ProxyError })
    .onRequest(({ request }) => {
      if (services.history) arrivals.set(request, performance.now());
    })
    .use(createBrowserGuard(services.config.server, services.logger))
    .onRequest(({ request }) => {
      const decision = checkKey(request, new URL(request.url).pathname);
      if (!decision.allowed) {
        if (decision.login) return new Response(null, { status: 303, headers: { location: "/login" } });
        throw decision.error;
      }
      if (decision.key) clientKeys.set(request, decision.key);
    })
    .onError(({ code, error, request, set }) => {
      // Named properties only: a hook that hands the whole context to a function makes Elysia
      // build all of it (a header object, a cookie jar, the query) for every request to every route.
      // The id a route gave the request, or a new one when it failed before any route.
      const requestId = requestIds.of(request) ?? createRequestId();
      const failure = toAnswerableError(code, error, request);
      // Anything but a ProxyError is a bug worth a log line.
      if (failure === error && !(error instanceof ProxyError)) {
        services.logger.error("unhandled error", { requestId, path: new URL(request.url).pathname, error });
      }
      const response = renderErrorResponse(failure, requestId);
      recordRefusedRequest(services.history, {
        request,
        requestId,
        startedAt: arrivals.get(request),
        failure: toProxyError(failure),
        headers: set.headers,
      });
      return response;
    })
    .use(createMessagesRoutes(services, { readClientKey: (request) => clientKeys.get(request), requestIds }))
    .use(createModelsRoutes(services))
    .use(createHealthRoutes(services))
    .use(createMetricsRoutes(services))
    .use(createCacheRoutes(services))
    .use(createHistoryRoutes(services))
    .use(createLoginRoutes(services.access))
    .use(createDashboardRoutes())
    .use(createDocsRoutes(services.version));
}

/** What the client is answered: its own failure, or the framework's (no route, a body it could not read) in Anthropic's terms. */
function toAnswerableError(code: string | number, error: unknown, request: Request): unknown {
  switch (code) {
    case "NOT_FOUND":
      return new NotFoundError(`no route for ${request.method} ${new URL(request.url).pathname}`);
    case "VALIDATION":
    case "PARSE":
      return new InvalidRequestError((error as Error).message);
    default:
      return error;
  }
}
