/**
 * The floor of the overhead benchmark: the least a Bun proxy can do, run in place of anyclaude
 * (`bun bench/overhead.ts --floor bare|json`). `bare` forwards the body's bytes untouched; `json`
 * also runs JSON.parse and JSON.stringify on it, the least any translating proxy does. Both post
 * to the backend's chat completions and relay its answer as is. Prints `listening on URL`.
 *
 * @example
 * bun bench/floor-forwarder.ts http://127.0.0.1:8080 json
 */
const [backendUrl, variant = "bare"] = process.argv.slice(2);
if (!backendUrl || (variant !== "bare" && variant !== "json")) {
  process.stderr.write("usage: bun bench/floor-forwarder.ts BACKEND_URL [bare|json]\n");
  process.exit(2);
}
const target = `${backendUrl}/v1/chat/completions`;

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const text = await request.text();
    const body = variant === "json" ? JSON.stringify(JSON.parse(text)) : text;
    const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    const contentType = answer.headers.get("content-type") ?? "application/json";
    // A stream is relayed as it comes; a JSON answer is read whole, as a proxy that converts it must.
    const relayed = contentType.startsWith("text/event-stream") ? answer.body : await answer.text();
    return new Response(relayed, { status: answer.status, headers: { "content-type": contentType } });
  },
});

process.stdout.write(`floor forwarder (${variant}) listening on http://127.0.0.1:${server.port}\n`);
process.on("SIGTERM", () => {
  void server.stop(true);
  process.exit(0);
});
