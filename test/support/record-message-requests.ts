/**
 * A loopback pass-through in front of anyclaude that keeps every /v1/messages body a client sent,
 * so a test can read what the real Claude Code asked for, turn by turn.
 */
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";

export interface MessageRecorder {
  /** Where the client should send its requests. */
  url: string;
  requests: MessageCreateParams[];
  stop(): void;
}

/**
 * @example
 * const recorder = recordMessageRequests(proxy.url);
 * await runClaudeCode({ baseUrl: recorder.url, prompt: "say hi", timeoutMs: 60_000 });
 * recorder.requests.length; // 2
 */
export function recordMessageRequests(target: string): MessageRecorder {
  const requests: MessageCreateParams[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === "POST" ? await request.text() : undefined;
      if (url.pathname === "/v1/messages" && body) requests.push(JSON.parse(body) as MessageCreateParams);
      const headers = new Headers(request.headers);
      headers.delete("host");
      return fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
