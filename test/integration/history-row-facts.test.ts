/**
 * What one request's history row says beyond its status and timing: how much of the window its
 * prompt took and what the context step trimmed, the prompt tokens the tier took out, and the
 * tool calls the answer made (issue 21, point 1), read back through /api/requests.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestRow } from "../../src/history/request-stats-schema";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { CLAUDE_CODE_FIXTURES_DIR } from "../support/claude-code-fixtures";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { longReadConversation } from "../support/long-read-conversation";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";

const WINDOW = 16_384;
const recorded = JSON.parse(
  readFileSync(join(CLAUDE_CODE_FIXTURES_DIR, "cc-2.1.332_p-say-hi_stream.body.json"), "utf8"),
) as MessageCreateParams;

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "anyclaude-history-facts-"));
  backend = startFakeOpenAIBackend(
    openAIJson(
      llamaServerCompletion({
        toolCalls: [{ name: "Bash", args: { command: "ls", description: "List files" } }],
        usage: { promptTokens: 9_000, completionTokens: 12 },
      }),
    ),
    { kind: "llamacpp", contextWindow: WINDOW },
  );
  proxy = await startProxy(
    {
      cache: { enabled: false },
      prompt: { tier: "moderate" },
      paths: { dataDir, cacheDir: join(dataDir, "cache-dir") },
      history: { flushIntervalMs: 100 },
    },
    [{ url: backend.url, kind: "llamacpp", mode: "translate" }],
  );
});

afterAll(async () => {
  await proxy?.stop();
  await backend?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The newest row, once the batch that holds it was written. */
async function readNewestRow(requestId: string): Promise<RequestRow> {
  for (let tries = 0; tries < 100; tries++) {
    const page = (await (await fetch(`${proxy.url}/api/requests?limit=1`)).json()) as { requests: RequestRow[] };
    if (page.requests[0]?.requestId === requestId) return page.requests[0];
    await Bun.sleep(50);
  }
  throw new Error(`no history row for ${requestId}`);
}

describe("a request's history row", () => {
  test("Claude Code's request, slimmed, trimmed to the window, answered with a tool call", async () => {
    const request = { ...recorded, stream: false, messages: [...recorded.messages, ...longReadConversation(60)] };
    const response = await postMessage(proxy, request);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: Array<{ type: string }> }).content.map((block) => block.type)).toContain("tool_use");
    const [used, window] = response.headers.get("x-anyclaude-context")!.split("/").map(Number);

    const row = await readNewestRow(response.headers.get("request-id")!);
    expect(row.contextUtilization).toBeCloseTo(used! / window!);
    expect(row.tokensTrimmed).toBeGreaterThan(0);
    expect(row.promptTokensSaved).toBeGreaterThan(1_000);
    expect(row.toolCalls).toBe(1);
    expect(row.searchCalls).toBe(0);
  });
});
