/**
 * The loopback llama-server look-alike the benchmarks' engines are built on, each run as a
 * process of its own: the probe and health routes answered as llama-server would, its `/tokenize`
 * (which anyclaude's context step asks for each new message), the caller's routes, 404 for the rest, `<name> listening on URL` on stdout when ready, and a clean SIGTERM.
 */

/**
 * `handle` answers a request or returns undefined to leave it to the probe routes and the 404.
 *
 * @example
 * serveLlamaServerLookAlike("lean backend", "bench-model", (request, path) => path === "/v1/chat/completions" ? answer(request) : undefined);
 */
export function serveLlamaServerLookAlike(
  name: string,
  model: string,
  handle: (request: Request, path: string) => Response | Promise<Response> | undefined,
): void {
  // What anyclaude's probe needs to recognise llama-server (kind llamacpp, translate mode), and
  // its health check, which otherwise takes the backend out of rotation in the middle of a run.
  const probeRoutes: Record<string, unknown> = {
    "/health": { status: "ok" },
    "/props": { build_info: "b8000-80fb11ac", default_generation_settings: { n_ctx: 131_072 } },
    "/v1/models": { object: "list", data: [{ id: model, object: "model", owned_by: "llamacpp", meta: { n_ctx: 131_072 } }] },
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const answer = handle(request, path);
      if (answer) return answer;
      if (request.method === "GET" && path in probeRoutes) return Response.json(probeRoutes[path]);
      if (request.method === "POST" && path === "/tokenize")
        return Response.json({ tokens: tokenize((await request.json()) as { content?: unknown }) });
      await request.arrayBuffer();
      return new Response("not found", { status: 404 });
    },
  });
  process.stdout.write(`${name} listening on http://127.0.0.1:${server.port}\n`);
  process.on("SIGTERM", () => {
    void server.stop(true);
    process.exit(0);
  });
}

/** About one token per four characters, as llama-server's answer is shaped: the token ids. */
function tokenize(body: { content?: unknown }): number[] {
  const length = typeof body.content === "string" ? Math.ceil(body.content.length / 4) : 0;
  return Array.from({ length }, (_, index) => index);
}
