/**
 * A real loopback HTTP server that plays a local engine: it records every request, answers the
 * scripted routes (chat completions, messages, count_tokens) from per-test scripts and the
 * discovery routes as the chosen engine kind would. The OpenAI and Anthropic fakes are thin
 * faces over this; use it directly for an engine that speaks both.
 */
import { answerEngineProbe, type FakeEngineInfo } from "./fake-engine-probes";
import { type FakeReply, renderFakeReply } from "./fake-reply";

export interface RecordedRequest {
  method: string;
  /** The pathname only; the query string is in `search` (Claude Code always adds `?beta=true`). */
  path: string;
  search: string;
  headers: Record<string, string>;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  body: unknown;
  /** Aborts only if the client went away before the reply was fully written. */
  signal: AbortSignal;
}

/**
 * One reply for every request, a queue consumed one reply per request (a request past its end
 * gets a 500 naming the route), or a function of the request and its 0-based index on the route.
 */
export type FakeScript = FakeReply | readonly FakeReply[] | ((request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>);

/** Engine defaults: llama-server serving "qwen3-coder-30b-a3b" with a 32768-token window. */
export interface FakeBackendOptions extends Partial<FakeEngineInfo> {
  /** `POST <pathname>` routes answered from a script. */
  routes: Record<string, FakeScript>;
  /** A fixed port, for an engine that comes up where a proxy already expects it; default: any free one. */
  port?: number;
}

export interface FakeBackend {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  setScript(path: string, script: FakeScript): void;
  /** Drops every open connection (a hanging or stalled reply ends as a reset) and frees the port. */
  stop(): Promise<void>;
}

/**
 * @example
 * const backend = startFakeBackend({ kind: "llamacpp", routes: { "/v1/chat/completions": [reply] } });
 * await fetch(`${backend.url}/v1/chat/completions`, { method: "POST", body: "{}" });
 * await backend.stop();
 */
export function startFakeBackend(options: FakeBackendOptions): FakeBackend {
  const engine: FakeEngineInfo = {
    kind: options.kind ?? "llamacpp",
    model: options.model ?? "qwen3-coder-30b-a3b",
    contextWindow: options.contextWindow ?? 32768,
    loadedContextLength: options.loadedContextLength,
    legacyLlamaServer: options.legacyLlamaServer,
    ollamaLoaded: options.ollamaLoaded,
    totalSlots: options.totalSlots,
    toolCalls: options.toolCalls,
  };
  const scripts = new Map<string, { script: FakeScript; queue: FakeReply[]; served: number }>();
  const setScript = (path: string, script: FakeScript) =>
    scripts.set(path, { script, queue: Array.isArray(script) ? [...script] : [], served: 0 });
  for (const [path, script] of Object.entries(options.routes)) setScript(path, script);

  const requests: RecordedRequest[] = [];
  const stopping = new AbortController();

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: "127.0.0.1",
    // Bun closes a connection idle for 10 s by default; a fake closes only when a script says so.
    idleTimeout: 0,
    async fetch(request) {
      const recorded = await recordRequest(request);
      requests.push(recorded);
      const scripted = request.method === "POST" ? scripts.get(recorded.path) : undefined;
      if (scripted === undefined) {
        return answerEngineProbe(engine, request.method, recorded.path, recorded.body) ?? new Response("Not Found", { status: 404 });
      }
      const reply = await nextReply(scripted, recorded);
      if (reply === undefined) {
        const message = `fake backend: no scripted reply left for POST ${recorded.path} (request ${scripted.served})`;
        return Response.json({ error: { message, type: "fake_script_exhausted" } }, { status: 500 });
      }
      return renderFakeReply(reply, AbortSignal.any([request.signal, stopping.signal]));
    },
    error(error: unknown) {
      const message = `fake backend: script threw: ${error instanceof Error ? error.message : String(error)}`;
      return Response.json({ error: { message, type: "fake_script_error" } }, { status: 500 });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port!,
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
    setScript,
    async stop() {
      // Sockets first, so a hanging reply released below never reaches a client.
      await server.stop(true);
      stopping.abort();
    },
  };
}

async function nextReply(
  scripted: { script: FakeScript; queue: FakeReply[]; served: number },
  request: RecordedRequest,
): Promise<FakeReply | undefined> {
  const index = scripted.served++;
  if (typeof scripted.script === "function") return scripted.script(request, index);
  if (Array.isArray(scripted.script)) return scripted.queue.shift();
  return scripted.script as FakeReply;
}

async function recordRequest(request: Request): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const rawBody = await request.text();
  let body: unknown;
  if (rawBody !== "") {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined; // Kept as rawBody: a test about malformed requests reads that.
    }
  }
  return {
    method: request.method,
    path: url.pathname,
    search: url.search,
    headers: Object.fromEntries(request.headers),
    rawBody,
    body,
    signal: request.signal,
  };
}
