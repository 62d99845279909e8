/**
 * The backend of the overhead benchmark, run as its own process: a llama-server look-alike on
 * loopback that answers every chat completion at once from bytes prepared at start-up, so the
 * benchmark measures anyclaude and not the backend. Prints `listening on URL` when ready.
 *
 * Unlike the test fakes it records nothing per request, except a reference to the last body,
 * which the benchmark reads once to send the very same bytes to the backend directly.
 *
 * @example
 * bun bench/lean-openai-backend.ts   # prints "lean backend listening on http://127.0.0.1:40123"
 */
import { BENCH_MODEL, buildLeanBackendReplies } from "./lean-backend-replies";

const replies = buildLeanBackendReplies();
const completionBytes = new TextEncoder().encode(replies.completion);
const streamBytes = new TextEncoder().encode(replies.stream);

const jsonHeaders = { "content-type": "application/json" };
const sseHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const staticRoutes: Record<string, unknown> = {
  // What anyclaude's probe needs to recognise llama-server (kind llamacpp, translate mode), and
  // its health check, which otherwise takes the backend out of rotation in the middle of a run.
  "/health": { status: "ok" },
  "/props": { build_info: "b8000-80fb11ac", default_generation_settings: { n_ctx: 131_072 } },
  "/v1/models": { object: "list", data: [{ id: BENCH_MODEL, object: "model", owned_by: "llamacpp", meta: { n_ctx: 131_072 } }] },
};

let lastBody = "";

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/v1/chat/completions") {
      const body = await request.text();
      lastBody = body;
      // JSON.stringify writes no spaces, and inside a JSON string every quote is escaped, so this
      // byte check decides streaming exactly as a parse would, without the parse.
      const stream = body.includes('"stream":true');
      return new Response(stream ? streamBytes : completionBytes, { headers: stream ? sseHeaders : jsonHeaders });
    }
    if (request.method === "GET" && path === "/bench/last-body") return new Response(lastBody, { headers: jsonHeaders });
    if (request.method === "GET" && path in staticRoutes) return Response.json(staticRoutes[path]);
    await request.arrayBuffer();
    return new Response("not found", { status: 404 });
  },
});

process.stdout.write(`lean backend listening on http://127.0.0.1:${server.port}\n`);
process.on("SIGTERM", () => {
  void server.stop(true);
  process.exit(0);
});
