/**
 * Turns what the request path knows when a `/v1/messages` request ends into its history row,
 * and watches a streamed answer for the two facts only its events carry: token usage and when
 * the first content went out.
 */
import type { CacheOutcome } from "../cache/response-cache-types";
import type { Usage } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { AttemptRecord } from "../router/dispatch-result";
import type { NewRequestHistoryRow } from "../store/request-history-row";

export interface FinishedRequest {
  /** performance.now() when the request arrived. */
  startedAt: number;
  requestId: string;
  clientModel: string;
  stream: boolean;
  status: number;
  outcome: "completed" | "failed" | "cancelled";
  attempts: readonly AttemptRecord[];
  route?: string;
  /** The model a cache hit stood for, when no attempt was made. */
  targetModel?: string;
  cache?: CacheOutcome;
  usage?: Partial<Usage>;
  /** performance.now() when the first content went out. */
  firstContentAt?: number;
  errorType?: string;
  /** The name of the client key the request carried. */
  clientKey?: string;
  /** Prompt tokens against the attempt's window, and what the context step trimmed. */
  context?: { used: number; window: number; trimmed: number };
  /** System prompt and tool tokens the prompt tier took out. */
  promptTokensSaved?: number;
  /** Tool calls: the client's tools the answer called, and those anyclaude ran itself. */
  toolCalls?: number;
  /** Web searches anyclaude ran: the web_search tool's and proactive search's. */
  searchCalls?: number;
}

/**
 * @example
 * history.record(describeFinishedRequest({ startedAt, requestId, clientModel, stream, status: 200, outcome: "completed", attempts }));
 */
export function describeFinishedRequest(request: FinishedRequest, now: number = performance.now()): NewRequestHistoryRow {
  const first = request.attempts[0];
  const last = request.attempts.at(-1);
  return {
    at: Math.round(performance.timeOrigin + request.startedAt),
    requestId: request.requestId,
    clientModel: request.clientModel,
    route: request.route ?? null,
    backend: last?.backendId ?? null,
    targetModel: last?.model ?? request.targetModel ?? null,
    stream: request.stream,
    status: request.status,
    outcome: request.outcome,
    attempts: request.attempts.length,
    fallback: request.attempts.some((attempt) => attempt.backendId !== first?.backendId || attempt.model !== first?.model),
    latencyMs: now - request.startedAt,
    ttftMs: request.firstContentAt === undefined ? null : request.firstContentAt - request.startedAt,
    inputTokens: request.usage?.input_tokens ?? null,
    outputTokens: request.usage?.output_tokens ?? null,
    cachedTokens: request.usage?.cache_read_input_tokens ?? null,
    cache: request.cache ?? null,
    errorType: request.errorType ?? null,
    clientKey: request.clientKey ?? null,
    contextUtilization: request.context === undefined ? null : request.context.used / request.context.window,
    tokensTrimmed: request.context?.trimmed ?? null,
    promptTokensSaved: request.promptTokensSaved ?? null,
    toolCalls: request.toolCalls ?? null,
    searchCalls: request.searchCalls ?? null,
  };
}

/**
 * Reads a stream's usage (message_start's, updated by message_delta's) and the moment its first
 * content delta was written.
 *
 * @example
 * const meter = new StreamMeter();
 * onEvent: (event) => meter.onEvent(event),
 * onEnd: () => history.record(describeFinishedRequest({ ..., usage: meter.usage, firstContentAt: meter.firstContentAt })),
 */
export class StreamMeter {
  usage: Partial<Usage> = {};
  firstContentAt: number | undefined;

  onEvent(event: MessageStreamEvent): void {
    if (event.type === "content_block_delta") {
      this.firstContentAt ??= performance.now();
    } else if (event.type === "message_start") {
      this.usage = { ...event.message.usage };
    } else if (event.type === "message_delta") {
      this.usage = { ...this.usage, ...definedFields(event.usage) };
    }
  }
}

/** message_delta sends null for a count it does not know: the count from message_start stands. */
function definedFields<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
