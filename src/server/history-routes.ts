/**
 * The JSON behind `/dashboard`, in the OpenAPI document: `/api/stats` (a window's summary, with
 * each backend's live state), `/api/requests` (recent rows, page by page), `/api/backends` (the
 * router's view now), `/api/requests/{id}` (one row, with its prompt and answer when
 * `history.storeBodies` kept them) and `/api/events`, an SSE stream of each request as it ends
 * and of the backends every few seconds. Only `/api/requests/{id}` may carry a prompt or an answer.
 */
import { Elysia, t } from "elysia";
import { InvalidRequestError, NotFoundError } from "../errors/proxy-error";
import { MAX_STATS_WINDOW_MS, parseStatsWindow, STATS_WINDOW_PATTERN } from "../history/parse-stats-window";
import { type BackendStats, RequestDetailSchema, RequestRowSchema, RequestStatsSchema } from "../history/request-stats-schema";
import type { BackendStatus } from "../router/backend-pool";
import type { AppServices } from "./app-services";
import { BackendStatusSchema } from "./backend-status-schema";

const BACKENDS_EVERY_MS = 2_000;
const TAGS = ["dashboard"];

export function createHistoryRoutes(services: AppServices) {
  const history = () => {
    if (!services.history) throw new NotFoundError("the request history is off (history.enabled)");
    return services.history;
  };
  const unavailable = () => new NotFoundError("the request history's store could not be opened (see the log)");

  return new Elysia({ name: "history-routes", prefix: "/api" })
    .model({
      RequestStats: RequestStatsSchema,
      RequestRow: RequestRowSchema,
      RequestDetail: RequestDetailSchema,
      BackendStatus: BackendStatusSchema,
    })
    .get(
      "/stats",
      async ({ query }) => {
        const windowMs = parseStatsWindow(query.window);
        if (windowMs === undefined) throw new InvalidRequestError(`window: "${query.window}" is longer than 30d`);
        const stats = await history().readStats(windowMs);
        if (!stats) throw unavailable();
        return { ...stats, backends: mergeLiveState(stats.backends, services.router.statuses()) };
      },
      {
        query: t.Object({
          window: t.String({
            pattern: STATS_WINDOW_PATTERN,
            default: "1h",
            description: `How far back: minutes, hours or days (\`15m\`, \`1h\`, \`24h\`, \`7d\`), up to ${MAX_STATS_WINDOW_MS / 86_400_000}d.`,
          }),
        }),
        response: "RequestStats",
        detail: { summary: "What the proxy did over a window: requests, errors, cache, latency, tokens, backends, series", tags: TAGS },
      },
    )
    .get(
      "/requests",
      async ({ query }) => {
        const requests = await history().listRequests(query.limit, query.before);
        if (!requests) throw unavailable();
        return { requests, next: requests.length === query.limit ? (requests.at(-1)?.id ?? null) : null };
      },
      {
        query: t.Object({
          limit: t.Integer({ minimum: 1, maximum: 500, default: 50, description: "Rows per page." }),
          before: t.Optional(t.Integer({ minimum: 1, description: "Rows below this id: the previous page's `next`." })),
        }),
        response: t.Object({
          requests: t.Array(t.Ref("RequestRow")),
          next: t.Union([t.Integer(), t.Null()], { description: "`before` for the next page; null on the last one." }),
        }),
        detail: { summary: "Recent requests, newest first (never their prompt or answer)", tags: TAGS },
      },
    )
    .get(
      "/requests/:id",
      async ({ params }) => {
        const detail = await history().readRequest(params.id);
        if (detail === undefined) throw new NotFoundError(`no request ${params.id} in the history`);
        return detail;
      },
      {
        params: t.Object({ id: t.Integer({ minimum: 1, description: "The row's `id` in /api/requests." }) }),
        response: "RequestDetail",
        detail: { summary: "One request's row, with its prompt and answer when `history.storeBodies` kept them", tags: TAGS },
      },
    )
    .get("/backends", () => ({ backends: services.router.statuses() }), {
      response: t.Object({ backends: t.Array(t.Ref("BackendStatus")) }),
      detail: { summary: "Each backend's state now: health, circuit, load, models", tags: TAGS },
    })
    .get(
      "/events",
      () => {
        let stop = () => {};
        const body = new ReadableStream<string>({
          start(controller) {
            const send = (event: string, data: unknown) => controller.enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
            const sendBackends = () => send("backends", { backends: services.router.statuses() });
            sendBackends();
            const timer = setInterval(sendBackends, BACKENDS_EVERY_MS);
            const unsubscribe = services.history?.subscribe((row) => send("request", row));
            const forget = services.liveStreams?.add(() => {
              stop();
              controller.close();
            });
            stop = () => {
              clearInterval(timer);
              unsubscribe?.();
              forget?.();
            };
          },
          cancel: () => stop(),
        });
        return new Response(body, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
      },
      {
        detail: {
          summary: "Live: `event: request` with each request as it ends (an /api/requests row without id), `event: backends` every 2 s",
          tags: TAGS,
        },
      },
    );
}

/** The window's figures per backend, with every backend the router knows and its state now. */
function mergeLiveState(fromHistory: BackendStats[], live: BackendStatus[]): BackendStats[] {
  const empty = { requests: 0, errors: 0, fallbacks: 0, meanLatencyMs: null, outputTokens: 0, tokensPerSecond: null };
  const merged = live.map(
    (status): BackendStats => ({
      ...(fromHistory.find((backend) => backend.id === status.id) ?? { ...empty, id: status.id }),
      state: status.state,
      healthy: status.healthy,
      circuit: status.circuit,
      inFlight: status.inFlight,
      queued: status.queued,
      maxConcurrency: status.maxConcurrency,
      ...(status.lastError !== undefined && { lastError: status.lastError }),
    }),
  );
  // Backends gone since (a restart with another config) still show what they did.
  return [...merged, ...fromHistory.filter((backend) => !live.some((status) => status.id === backend.id))];
}
