/**
 * `POST /v1/messages` as a service: validate, normalize (Claude Code specifics), slim the
 * prompt, answer from the response cache when it can, else dispatch to a backend, answer as JSON
 * or SSE, and hand a complete answer to the cache. Takes plain values, never the framework's context.
 */
import type { Backend, CallOptions } from "../backends/backend";
import { type StartedAnswer, startAnswer } from "../backends/start-answer";
import { StreamedMessageAssembler } from "../cache/assemble-streamed-message";
import { detectSilentTruncation } from "../context/detect-silent-truncation";
import { scaleReportedUsage } from "../context/scale-reported-usage";
import type { Message, MessageCreateParams } from "../protocol/anthropic/messages";
import { type AttemptRecord, DispatchError, type Dispatched, type DispatchTarget } from "../router/dispatch-result";
import { isSideCall } from "../router/is-side-call";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import { injectAnthropicCacheControl } from "../translate/inject-anthropic-cache-control";
import { normalizeAnthropicRequest } from "../translate/normalize-anthropic-request";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";
import { captureRequestBodies } from "./capture-request-bodies";
import { createSseResponse, type StreamOutcome } from "./create-sse-response";
import { describeFinishedRequest, type FinishedRequest, StreamMeter } from "./describe-finished-request";
import { type FittedAttempt, fitContextForAttempt } from "./fit-context-for-attempt";
import { searchProactively } from "./proactive-search-step";
import { prepareProxyToolStep } from "./proxy-tool-step";
import { recordStreamForCache } from "./record-stream-for-cache";
import { recordToolCalls } from "./record-tool-calls";
import { toMessageId } from "./request-id";
import { serveFromCache } from "./serve-from-cache";
import { slimPromptForRoute } from "./slim-prompt-for-route";
import { validateMessageCreate } from "./validate-message-request";

export interface IncomingCall {
  body: unknown;
  requestId: string;
  /** The client's request headers (cache directives). */
  headers: Headers;
  /** Fires when the client disconnects. */
  signal: AbortSignal;
  /**
   * What the error answer carries besides the error, when the call fails (attempts, backend,
   * cache state): filled just before the failure is thrown to the app's error handler.
   */
  errorHeaders: ErrorHeaders;
  /** The name of the client key the request carried; undefined when anyclaude asks for none. */
  clientKey?: string;
}

/** What the end of an answer adds to its history row; `message`, the answer, only for `history.storeBodies`. */
type AnswerFacts = Pick<FinishedRequest, "outcome"> &
  Partial<Pick<FinishedRequest, "route" | "usage" | "firstContentAt" | "errorType">> & { message?: Message };

/** Response headers as Elysia's `set.headers` holds them. */
export type ErrorHeaders = Record<string, string | number>;

export async function handleCreateMessage(services: AppServices, call: IncomingCall): Promise<Response> {
  const started = performance.now();
  const memo = services.conversationMemo;
  const request = validateMessageCreate(call.body, memo);
  const stream = request.stream === true;
  const warnings: TranslationWarning[] = [];
  const toolCalls = recordToolCalls(services.metrics, "engine");
  const onWarning = (warning: TranslationWarning) => {
    warnings.push(warning);
    services.metrics.translationWarnings.inc({ code: warning.code });
    toolCalls.onWarning(warning);
  };
  // Tools anyclaude runs itself (MCP servers, the request's mcp_servers) join the client's; undefined when none apply.
  const proxyTools = await prepareProxyToolStep(services, request, call.signal, onWarning);
  // A last turn that asks for fresh facts gets web results before it (search.proactive); undefined otherwise.
  const searched = await searchProactively(services, proxyTools?.request ?? request, call.signal);
  const normalized = normalizeAnthropicRequest(searched?.request ?? proxyTools?.request ?? request, services.config.claudeCode, memo);
  normalized.warnings.forEach(onWarning);
  const prompt = slimPromptForRoute(services, normalized.value, onWarning);
  const inputTokensEstimate = estimateInputTokens(prompt.request, memo);
  const cached = await serveFromCache(services, {
    request: prompt.request,
    clientRequest: request,
    clientModel: request.model,
    headers: call.headers,
    stream,
    requestId: call.requestId,
    estimatedTokens: inputTokensEstimate,
    startedAt: started,
    clientKey: call.clientKey,
  });
  if (cached?.response) return cached.response;

  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  call.signal.addEventListener("abort", onClientGone, { once: true });
  const options: CallOptions = {
    signal: abort.signal,
    messageId: toMessageId(call.requestId),
    clientModel: request.model,
    inputTokensEstimate,
    onWarning,
    memo,
    tools: services.config.tools,
  };

  const finish = (status: number, outcome: string, attempts: AttemptRecord[], facts: AnswerFacts) => {
    call.signal.removeEventListener("abort", onClientGone);
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    const last = attempts.at(-1);
    const truncated =
      facts.outcome === "completed" ? detectSilentTruncation(contextUsage?.used ?? inputTokensEstimate, facts.usage) : undefined;
    if (truncated !== undefined) {
      onWarning(truncated);
      services.metrics.contextTruncations.inc({ backend: last?.backendId ?? "none" });
      services.logger.warn("the engine cut the prompt", { requestId: call.requestId, backend: last?.backendId, detail: truncated.message });
    }
    services.metrics.requests.inc({
      endpoint: "messages",
      status: String(status),
      backend: last?.backendId ?? "none",
      stream: String(stream),
    });
    services.metrics.requestSeconds.observe({ endpoint: "messages", stream: String(stream) }, seconds);
    services.logger.info("messages", {
      requestId: call.requestId,
      key: call.clientKey,
      model: request.model,
      backend: last?.backendId,
      target: last?.model,
      attempts: attempts.length,
      stream,
      cache: cached?.lookup.outcome,
      prompt: prompt.summary,
      context: contextUsage && `${contextUsage.used}/${contextUsage.window}`,
      search: searched?.provider,
      outcome,
      ms: Math.round(seconds * 1000),
      warnings: warnings.length > 0 ? warnings.map((warning) => `${warning.code}@${warning.path}`).join(",") : undefined,
      ...proxyTools?.logFields(),
      ...toolCalls.summary(),
    });
    const { message, ...answerFacts } = facts;
    const proxyCalls = proxyTools?.historyCounts() ?? { toolCalls: 0, searchCalls: 0 };
    services.history?.record(
      describeFinishedRequest(
        {
          ...answerFacts,
          startedAt: started,
          requestId: call.requestId,
          clientModel: request.model,
          stream,
          status,
          attempts,
          cache: cached?.lookup.outcome,
          clientKey: call.clientKey,
          context: contextUsage,
          promptTokensSaved: prompt.saved,
          toolCalls: toolCalls.count() + proxyCalls.toolCalls,
          searchCalls: proxyCalls.searchCalls + (searched ? 1 : 0),
        },
        ended,
      ),
      captureRequestBodies(services.config.history, request, message),
    );
    // Counted once the answer is over, so the answer that crosses a key's daily line still completes.
    const tokens = (facts.usage?.input_tokens ?? 0) + (facts.usage?.output_tokens ?? 0);
    if (call.clientKey !== undefined && tokens > 0) {
      services.access.limits.recordTokens(call.clientKey, tokens);
      services.metrics.clientTokens.inc({ key: call.clientKey }, tokens);
    }
  };

  // Upstreams that honour Anthropic prompt caching get breakpoints; computed once per prompt sent, whatever the retries.
  const withBreakpoints = new WeakMap<MessageCreateParams, MessageCreateParams>();
  const prepareFor = (kind: Backend["kind"], fitted: MessageCreateParams): MessageCreateParams => {
    const control = services.config.cache.control;
    if (kind !== "anthropic" || !control.inject) return fitted;
    let prepared = withBreakpoints.get(fitted);
    if (prepared === undefined) {
      const injected = injectAnthropicCacheControl(fitted, control.points);
      injected.warnings.forEach(onWarning);
      prepared = injected.value;
      withBreakpoints.set(fitted, prepared);
    }
    return prepared;
  };
  // The context step runs per attempt (each target has its own window); the answer reports the last one's.
  let contextUsage: FittedAttempt["usage"];

  // What the answering attempt sent, fitted to its target: the proxy-run tool loop continues from it.
  let sent: MessageCreateParams | undefined;
  // The router's signal adds its overall deadline to the client's abort.
  const startOn = ({ backend, signal, slot }: DispatchTarget, sent: MessageCreateParams) =>
    startAnswer(backend, sent, { ...options, signal, slot }, stream);

  let dispatched: Dispatched<StartedAnswer>;
  try {
    dispatched = await services.router.dispatch<StartedAnswer>(
      { request: prompt.request, estimatedTokens: inputTokensEstimate, signal: abort.signal, memo, sideCall: isSideCall(request) },
      async (target) => {
        const fitted = await fitContextForAttempt(services, prompt.request, target, onWarning, { options, signal: target.signal });
        contextUsage = fitted.usage;
        sent = { ...prepareFor(target.backend.kind, fitted.request), model: target.decision.model };
        return startOn(target, sent);
      },
    );
    // The model's calls of proxy-run tools are run here, and the same target asked again until it answers.
    if (proxyTools) dispatched = await proxyTools.continueLoop(dispatched, sent!, startOn);
  } catch (error) {
    const attempts = error instanceof DispatchError ? error.attempts : [];
    const failure = error instanceof DispatchError ? error.failure : error;
    for (const attempt of attempts) {
      const type = (attempt.error as { type?: string } | undefined)?.type;
      if (type) services.metrics.backendErrors.inc({ backend: attempt.backendId, type });
    }
    finish((failure as { status?: number }).status ?? 500, `failed: ${(failure as Error).message}`, attempts, {
      outcome: "failed",
      errorType: (failure as { type?: string }).type ?? "api_error",
    });
    const last = attempts.at(-1);
    Object.assign(call.errorHeaders, { "x-anyclaude-attempts": String(attempts.length), ...cached?.headers });
    if (last) call.errorHeaders["x-anyclaude-backend"] = last.backendId;
    throw failure;
  }

  const { result: answer, backend, decision, attempts, settle } = dispatched;
  const headers = {
    "request-id": call.requestId,
    "x-anyclaude-backend": backend.id,
    "x-anyclaude-model": decision.model,
    "x-anyclaude-route": decision.route,
    "x-anyclaude-attempts": String(attempts.length),
    ...cached?.headers,
    ...(contextUsage && { "x-anyclaude-context": `${contextUsage.used}/${contextUsage.window}` }),
    ...(searched && { "x-anyclaude-search-provider": searched.provider }),
  };
  const ticket = cached?.lookup.ticket;
  // What the client reads of usage (context.clientWindow); the cache, logs and history keep the real counts.
  const reportedInput = contextUsage?.reportedInput;
  if (answer.kind === "message") {
    toolCalls.onMessage(answer.message);
    if (ticket) services.cache!.remember(ticket, answer.message);
    settle({ kind: "completed", outputTokens: answer.message.usage.output_tokens });
    finish(200, "completed", attempts, {
      outcome: "completed",
      route: decision.route,
      usage: answer.message.usage,
      message: answer.message,
    });
    return Response.json(reportedInput === undefined ? answer.message : scaleReportedUsage(answer.message, reportedInput), {
      headers: { ...headers, ...proxyTools?.responseHeaders() },
    });
  }
  const meter = new StreamMeter();
  // The answer as it went out, for its history row, only when the user keeps prompts and answers.
  const assembler = services.config.history.storeBodies ? new StreamedMessageAssembler() : undefined;
  const cacheHooks = ticket ? recordStreamForCache(services.cache!, ticket) : undefined;
  return createSseResponse(answer, {
    headers,
    pingIntervalMs: services.config.server.pingIntervalMs,
    clientStallMs: services.config.server.clientStallMs,
    requestId: call.requestId,
    abortBackend: () => abort.abort(),
    streams: services.streams,
    present: reportedInput === undefined ? undefined : (event) => scaleReportedUsage(event, reportedInput),
    onEvent: (event) => {
      toolCalls.onEvent(event);
      meter.onEvent(event);
      assembler?.accept(event);
      cacheHooks?.onEvent(event);
    },
    onEnd: (outcome: StreamOutcome) => {
      cacheHooks?.onEnd(outcome);
      settle(outcome.kind === "completed" ? { kind: "completed", outputTokens: meter.usage.output_tokens } : outcome);
      if (outcome.kind === "failed") services.metrics.backendErrors.inc({ backend: backend.id, type: outcome.error.type });
      finish(200, outcome.kind === "failed" ? `failed mid-stream: ${outcome.error.message}` : outcome.kind, attempts, {
        outcome: outcome.kind,
        route: decision.route,
        usage: meter.usage,
        firstContentAt: meter.firstContentAt,
        errorType: outcome.kind === "failed" ? outcome.error.type : undefined,
        message: assembler?.finish(),
      });
    },
  });
}
