/**
 * What the router benchmark's failover and detection sections share: a lean llama-server
 * look-alike that can fail every Nth request, be killed and come back on the same port, and
 * anyclaude in the same process in front of two of them (model group `pair`), its logs
 * silenced. In-process keeps the setup small; the figures here are milliseconds of backoff and
 * seconds of probing, far above what sharing one event loop costs.
 */
import { Value } from "@sinclair/typebox/value";
import { type Config, ConfigSchema } from "../src/config/config-schema";
import { createLogger } from "../src/log/logger";
import { type RunningServer, startServer } from "../src/server/start-server";
import { BENCH_MODEL, buildLeanBackendReplies } from "./lean-backend-replies";

export interface BenchEngine {
  url: string;
  /** Chat requests answered or failed so far. */
  readonly requests: number;
  /** Fails every Nth chat request with llama-server's 500 body; 0 never fails. */
  failEvery: number;
  /** Drops every connection and frees the port. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  revive(): void;
}

const replies = buildLeanBackendReplies();
const STATIC_ROUTES: Record<string, unknown> = {
  "/props": { build_info: "b8000-80fb11ac", default_generation_settings: { n_ctx: 131_072 }, total_slots: 4 },
  "/v1/models": { object: "list", data: [{ id: BENCH_MODEL, object: "model", owned_by: "llamacpp", meta: { n_ctx: 131_072 } }] },
  "/health": { status: "ok" },
};
const FAILURE = JSON.stringify({ error: { code: 500, message: "llama_decode failed", type: "server_error" } });

/** @example const engine = startBenchEngine({ failEvery: 3 }); */
export function startBenchEngine(options: { failEvery?: number } = {}): BenchEngine {
  let requests = 0;
  let port = 0;
  let server: ReturnType<typeof Bun.serve> | undefined;
  const engine = {
    url: "",
    failEvery: options.failEvery ?? 0,
    get requests() {
      return requests;
    },
    async kill() {
      await server?.stop(true);
      server = undefined;
    },
    revive() {
      server = Bun.serve({
        hostname: "127.0.0.1",
        port,
        idleTimeout: 0,
        async fetch(request) {
          const path = new URL(request.url).pathname;
          if (request.method === "POST" && path === "/v1/chat/completions") {
            const stream = (await request.text()).includes('"stream":true');
            requests++;
            if (engine.failEvery > 0 && requests % engine.failEvery === 0)
              return new Response(FAILURE, { status: 500, headers: { "content-type": "application/json" } });
            return new Response(stream ? replies.stream : replies.completion, {
              headers: { "content-type": stream ? "text/event-stream" : "application/json" },
            });
          }
          if (request.method === "GET" && path in STATIC_ROUTES) return Response.json(STATIC_ROUTES[path]);
          return new Response("not found", { status: 404 });
        },
      });
      port = server.port!;
      engine.url = `http://127.0.0.1:${port}`;
    },
  };
  engine.revive();
  return engine;
}

/**
 * anyclaude in front of engines `a` and `b` (group `pair`, every Claude name routed to it),
 * with the given overrides on top of the documented defaults.
 *
 * @example
 * const proxy = await startBenchProxy(a, b, { circuitBreaker: { failureThreshold: 1_000_000 } });
 */
export async function startBenchProxy(a: BenchEngine, b: BenchEngine, overrides: Record<string, unknown> = {}): Promise<RunningServer> {
  const config = Value.Default(ConfigSchema, {
    server: { host: "127.0.0.1", port: 0 },
    discovery: { enabled: false },
    backends: [
      { id: "a", url: a.url, kind: "llamacpp", mode: "translate" },
      { id: "b", url: b.url, kind: "llamacpp", mode: "translate" },
    ],
    models: { default: "pair" },
    modelGroups: { pair: { targets: [`a/${BENCH_MODEL}`, `b/${BENCH_MODEL}`] } },
    ...overrides,
  }) as Config;
  const logger = createLogger({ level: "error", format: "json", write: () => undefined });
  return startServer(config, { logger, env: {}, version: "bench" });
}

/** The router's state of one backend, from /health. */
export async function readBackendState(proxy: RunningServer, id: string): Promise<{ healthy: boolean; circuit: string }> {
  const body = (await (await fetch(`${proxy.url}/health`)).json()) as {
    backends: Array<{ id: string; healthy: boolean; circuit: string }>;
  };
  return body.backends.find((backend) => backend.id === id)!;
}

/** Sum of a counter's samples in /metrics whose labels contain `match` (e.g. `to="open"`). */
export async function sumMetric(proxy: RunningServer, name: string, match = ""): Promise<number> {
  const text = await (await fetch(`${proxy.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && line.includes(match))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}
