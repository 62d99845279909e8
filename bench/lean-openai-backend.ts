/**
 * The backend of the overhead benchmark, run as its own process: a llama-server look-alike on
 * loopback that answers every chat completion at once from text prepared at start-up (only the
 * prompt's token counts are filled in), so the benchmark measures anyclaude and not the backend. Prints `listening on URL` when ready.
 *
 * Unlike the test fakes it records nothing per request, except a reference to the last body,
 * which the benchmark reads once to send the very same bytes to the backend directly.
 *
 * @example
 * bun bench/lean-openai-backend.ts   # prints "lean backend listening on http://127.0.0.1:40123"
 */
import { BENCH_MODEL, buildSizableLeanBackendReplies, sizeReply } from "./lean-backend-replies";
import { serveLlamaServerLookAlike } from "./serve-llama-server-look-alike";

const replies = buildSizableLeanBackendReplies();

const jsonHeaders = { "content-type": "application/json" };
const sseHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" };
let lastBody = "";

serveLlamaServerLookAlike("lean backend", BENCH_MODEL, (request, path) => {
  if (request.method === "POST" && path === "/v1/chat/completions") {
    return request.text().then((body) => {
      lastBody = body;
      // JSON.stringify writes no spaces, and inside a JSON string every quote is escaped, so this
      // byte check decides streaming exactly as a parse would, without the parse.
      const stream = body.includes('"stream":true');
      // The prompt's size in the usage, as an engine reports it (anyclaude checks it against its own count).
      const reply = sizeReply(stream ? replies.stream : replies.completion, body.length);
      return new Response(reply, { headers: stream ? sseHeaders : jsonHeaders });
    });
  }
  if (request.method === "GET" && path === "/bench/last-body") return new Response(lastBody, { headers: jsonHeaders });
  return undefined;
});
