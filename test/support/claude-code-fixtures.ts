/**
 * The requests recorded from Claude Code 2.1.332 (test/fixtures/claude-code-2.1.332), each with
 * the URL and headers it was sent with, ready to be replayed against a running proxy.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";

export const CLAUDE_CODE_FIXTURES_DIR = join(import.meta.dir, "../fixtures/claude-code-2.1.332");

/** Headers that describe one connection or one body, not the request: replaying them would lie. */
const CONNECTION_HEADERS = new Set(["host", "content-length"]);

export interface RecordedClaudeCodeRequest {
  /** File name without `.body.json`, e.g. `cc-2.1.332_p-say-hi_stream`. */
  name: string;
  /** Path and query as sent, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: Record<string, string>;
  body: MessageCreateParams;
}

/**
 * @example
 * const [first] = readClaudeCodeRequests();
 * await fetch(`${proxy.url}${first.url}`, { method: "POST", headers: first.headers, body: JSON.stringify(first.body) });
 */
export function readClaudeCodeRequests(): RecordedClaudeCodeRequest[] {
  return readdirSync(CLAUDE_CODE_FIXTURES_DIR)
    .filter((file) => file.endsWith(".body.json"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".body.json".length);
      const capture = JSON.parse(readFileSync(join(CLAUDE_CODE_FIXTURES_DIR, `${name}.capture.json`), "utf8")) as {
        url: string;
        headers: Record<string, string>;
      };
      const headers = Object.fromEntries(Object.entries(capture.headers).filter(([key]) => !CONNECTION_HEADERS.has(key.toLowerCase())));
      const body = JSON.parse(readFileSync(join(CLAUDE_CODE_FIXTURES_DIR, file), "utf8")) as MessageCreateParams;
      return { name, url: capture.url, headers, body };
    });
}

/** The SSE reply (text, then a Bash tool_use) that Claude Code 2.1.332 accepted and acted on. */
export function readAcceptedClaudeCodeReply(): string {
  return readFileSync(join(CLAUDE_CODE_FIXTURES_DIR, "capture-server_sse-response_tool_use.txt"), "utf8");
}
