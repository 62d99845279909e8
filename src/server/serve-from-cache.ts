/**
 * The request path's cache step, before dispatch: resolve where the request would go (the key
 * names the route target, not the client's model name), read the client's and the route's
 * cache directives, look up, and on a hit answer at once, as JSON or as the same SSE stream a
 * live answer makes (same framing, pings and headers, through createSseResponse).
 */

import { readCacheDirective } from "../cache/read-cache-directive";
import { replayMessageAsEvents } from "../cache/replay-message-as-events";
import type { CacheLookup } from "../cache/response-cache";
import { ProxyError } from "../errors/proxy-error";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { type RouteDecision, resolveRoute } from "../router/resolve-route";
import type { AppServices } from "./app-services";
import { captureRequestBodies } from "./capture-request-bodies";
import { createSseResponse } from "./create-sse-response";
import { describeFinishedRequest, type FinishedRequest } from "./describe-finished-request";
import { recordToolCalls } from "./record-tool-calls";
import { toMessageId } from "./request-id";

export interface CacheStepInput {
  /** The normalized request. */
  request: MessageCreateParams;
  /** The request as the client sent it, for the history's `storeBodies`. */
  clientRequest: MessageCreateParams;
  clientModel: string;
  headers: Headers;
  stream: boolean;
  requestId: string;
  estimatedTokens: number;
  /** performance.now() when the request arrived, for the request-duration metric. */
  startedAt: number;
  /** The name of the client key the request carried. */
  clientKey?: string;
}

export interface CacheStep {
  lookup: CacheLookup;
  /** `x-anyclaude-cache` and `x-anyclaude-cache-key`, for whatever response goes out. */
  headers: Record<string, string>;
  /** The replayed answer on a hit. */
  response?: Response;
}

/**
 * Undefined when there is no cache or the route cannot be resolved (dispatch then reports why).
 *
 * @example
 * const cached = await serveFromCache(services, { request: normalized, clientRequest, clientModel, headers, stream, requestId, estimatedTokens, startedAt });
 * if (cached?.response) return cached.response;
 */
export async function serveFromCache(services: AppServices, input: CacheStepInput): Promise<CacheStep | undefined> {
  const cache = services.cache;
  if (!cache) return undefined;
  let decision: RouteDecision;
  try {
    decision = resolveRoute({ request: input.request, estimatedTokens: input.estimatedTokens }, services.config, services.router.catalog());
  } catch (error) {
    // An unknown target or no backend: the dispatch that follows answers with the reason.
    if (error instanceof ProxyError) return undefined;
    throw error;
  }
  const target = decision.group === undefined ? `${decision.backendId}/${decision.model}` : `group:${decision.group}`;
  const directive = readCacheDirective(input.headers, decision, services.config.cache.bypassRoutes);
  let lookup: CacheLookup;
  try {
    lookup = await cache.lookup(input.request, target, directive);
  } catch (error) {
    // Store failures are handled inside; this is a bug, and still no reason to fail the request.
    services.logger.error("cache lookup failed; answering without the cache", { requestId: input.requestId, error });
    return undefined;
  }
  const headers = { "x-anyclaude-cache": lookup.outcome, "x-anyclaude-cache-key": lookup.key };
  if (lookup.message === undefined) return { lookup, headers };

  const message = { ...lookup.message, id: toMessageId(input.requestId), model: input.clientModel };
  const responseHeaders = { "request-id": input.requestId, "x-anyclaude-route": decision.route, ...headers };
  // The whole answer goes out in the first write: its first content is out as the response starts.
  let firstContentAt: number | undefined;
  const finish = (outcome: FinishedRequest["outcome"]) => {
    const ended = performance.now();
    const seconds = (ended - input.startedAt) / 1000;
    services.metrics.requests.inc({ endpoint: "messages", status: "200", backend: "cache", stream: String(input.stream) });
    services.metrics.requestSeconds.observe({ endpoint: "messages", stream: String(input.stream) }, seconds);
    // The replayed calls reach the client as a live answer's do: counted alike, labelled as replayed.
    const toolCalls = recordToolCalls(services.metrics, "cache");
    toolCalls.onMessage(message);
    services.logger.info("messages", {
      requestId: input.requestId,
      key: input.clientKey,
      model: input.clientModel,
      cache: lookup.outcome,
      similarity: lookup.similarity,
      stream: input.stream,
      outcome,
      ms: Math.round(seconds * 1000),
      ...toolCalls.summary(),
    });
    services.history?.record(
      describeFinishedRequest(
        {
          startedAt: input.startedAt,
          requestId: input.requestId,
          clientModel: input.clientModel,
          stream: input.stream,
          status: 200,
          outcome,
          attempts: [],
          route: decision.route,
          targetModel: decision.model,
          cache: lookup.outcome,
          usage: message.usage,
          firstContentAt,
          clientKey: input.clientKey,
          toolCalls: toolCalls.count(),
        },
        ended,
      ),
      captureRequestBodies(services.config.history, input.clientRequest, message),
    );
  };
  if (!input.stream) {
    finish("completed");
    return { lookup, headers, response: Response.json(message, { headers: responseHeaders }) };
  }
  // The whole answer is at hand: one batch, one write.
  firstContentAt = performance.now();
  const response = createSseResponse(
    { kind: "stream", first: replayMessageAsEvents(message), rest: nothingMore() },
    {
      headers: responseHeaders,
      pingIntervalMs: services.config.server.pingIntervalMs,
      requestId: input.requestId,
      abortBackend: () => {},
      streams: services.streams,
      onEnd: (outcome) => finish(outcome.kind),
    },
  );
  return { lookup, headers, response };
}

async function* nothingMore(): AsyncGenerator<MessageStreamEvent[]> {}
