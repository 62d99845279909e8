/**
 * What the proxy-run tool tests share: a loopback engine that plays a model calling tools (its
 * reply chosen from what it was sent), the real server-everything MCP server from npm started
 * over stdio, and small readers of the answers.
 */

import { afterEach } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContentBlock, Message } from "../../src/protocol/anthropic/messages";
import type { RecordedRequest } from "../support/fake-backend-server";
import { openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { type LlamaServerReply, llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";

/** A chat-completions request as the engine got it. */
export interface EngineRequest {
  messages: Array<{
    role: string;
    content?: unknown;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ function: { name: string } }>;
  stream?: boolean;
}

/**
 * An engine whose every answer `plan` picks from the request (and its 0-based number), streamed
 * or whole as the request asks, with usage.
 *
 * @example
 * const engine = startToolCallingEngine((request) => lastToolResult(request) ? { text: "Done." } : { toolCalls: [{ name: "mcp__everything__echo", args: { message: "hi" } }] });
 */
export function startToolCallingEngine(plan: (request: EngineRequest, index: number) => Omit<LlamaServerReply, "usage">) {
  return startFakeOpenAIBackend((recorded: RecordedRequest, index: number) => {
    const request = recorded.body as EngineRequest;
    const reply = { usage: { promptTokens: 100 + index, completionTokens: 10 }, ...plan(request, index) };
    return request.stream ? openAIStream(llamaServerChunks(reply)) : openAIJson(llamaServerCompletion(reply));
  });
}

/** The tool messages after the engine's last assistant turn: what the proxy's tools returned. */
export function toolResultsIn(request: EngineRequest): Array<{ id: string; content: string }> {
  const results: Array<{ id: string; content: string }> = [];
  for (let index = request.messages.length - 1; index >= 0 && request.messages[index]!.role === "tool"; index--) {
    const message = request.messages[index]!;
    const content = typeof message.content === "string" ? message.content : JSON.stringify(message.content);
    results.unshift({ id: message.tool_call_id!, content });
  }
  return results;
}

export function toolNamesIn(request: EngineRequest): string[] {
  return (request.tools ?? []).map((tool) => tool.function.name);
}

/** server-everything 2026.8.31 over stdio, run by Bun (it is plain ESM). */
export function everythingServer(extra: Record<string, unknown> = {}) {
  return {
    command: process.execPath,
    args: [require.resolve("@modelcontextprotocol/server-everything/dist/index.js"), "stdio"],
    ...extra,
  };
}

/** A request as Claude Code's main loop sends one: it offers a tool of its own. */
export const CLIENT_TOOL = {
  name: "Bash",
  description: "Run a shell command",
  input_schema: { type: "object", properties: { command: { type: "string" } } },
};

export function blockTypes(message: Message): string[] {
  return message.content.map((block: ContentBlock) => block.type);
}

/** A data dir of its own for the store, removed by the returned function. */
export function makeDataDir(): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-tools-"));
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * Registers what each test started, to be stopped after it, the last first.
 *
 * @example
 * const defer = cleanUpAfterEach();
 * defer(() => proxy.stop());
 */
export function cleanUpAfterEach(): (cleanup: () => Promise<void> | void) => void {
  let cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
  });
  return (cleanup) => void cleanups.push(cleanup);
}
