/**
 * A `/v1/messages` request refused before dispatch (a bad or oversized body, the wrong content
 * type, a missing client key, a web page) gets its history row too, so the dashboard's errors and
 * /api/stats count what Claude Code saw fail: status, error type and latency, nothing of the body.
 */

import type { ProxyError } from "../errors/proxy-error";
import type { RequestHistory } from "../history/request-history";
import { describeFinishedRequest } from "./describe-finished-request";

export interface RefusedRequest {
  request: Request;
  requestId: string;
  /** performance.now() when the request arrived, when known. */
  startedAt?: number;
  failure: ProxyError;
  /** Response headers set so far: a request that reached dispatch says how many attempts it made, and has its row already. */
  headers: Record<string, unknown>;
}

/**
 * @example
 * recordRefusedRequest(services.history, { request, requestId, startedAt, failure, headers: set.headers });
 */
export function recordRefusedRequest(history: RequestHistory | undefined, refused: RefusedRequest): void {
  if (history === undefined || refused.request.method !== "POST" || refused.headers["x-anyclaude-attempts"] !== undefined) return;
  if (new URL(refused.request.url).pathname !== "/v1/messages") return;
  const now = performance.now();
  history.record(
    describeFinishedRequest(
      {
        startedAt: refused.startedAt ?? now,
        requestId: refused.requestId,
        // The body was not read, or not understood: the model it named is not known.
        clientModel: "",
        stream: false,
        status: refused.failure.status,
        outcome: "failed",
        attempts: [],
        errorType: refused.failure.type,
      },
      now,
    ),
  );
}
