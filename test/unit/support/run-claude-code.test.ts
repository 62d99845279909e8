import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageCreateParams, ToolResultBlockParam } from "../../../src/protocol/anthropic/messages";
import { anthropicJson, anthropicStream, type FakeAnthropicBackend, startFakeAnthropicBackend } from "../../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../../support/fake-anthropic-events";
import { runClaudeCode } from "../../support/run-claude-code";

const TIMEOUT_MS = 45_000;
let backend: FakeAnthropicBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

function textReply(text: string) {
  return anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text }] }));
}

test("the real Claude Code runs a Bash tool_use offline and sends the tool_result back", async () => {
  // Writing a file needs permission in print mode (a bare echo would not): this proves the
  // default flags let Bash run for real, in the given working directory.
  const command = "echo hello-from-tool > marker.txt && cat marker.txt";
  const cwd = await mkdtemp(join(tmpdir(), "anyclaude-cc-test-"));
  backend = startFakeAnthropicBackend([
    anthropicStream(
      anthropicMessageEvents({
        blocks: [
          { type: "text", text: "Running it." },
          { type: "tool_use", id: "toolu_fake_bash_1", name: "Bash", input: { command, description: "Write and print a marker" } },
        ],
      }),
    ),
    textReply("The tool said hello-from-tool. Done."),
  ]);

  const run = await runClaudeCode({ baseUrl: backend.url, prompt: "run the echo", cwd, timeoutMs: TIMEOUT_MS });
  const markerFile = Bun.file(join(cwd, "marker.txt"));
  const marker = (await markerFile.exists()) ? await markerFile.text() : undefined;
  await rm(cwd, { recursive: true, force: true });

  expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({ exitCode: 0, timedOut: false, stderr: "" });
  expect(run.json).toMatchObject({ type: "result", is_error: false, result: "The tool said hello-from-tool. Done.", num_turns: 2 });
  expect(marker).toBe("hello-from-tool\n");

  // With CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 it talks to the base URL only, and only to /v1/messages.
  expect(backend.requests.map((request) => `${request.method} ${request.path}${request.search}`)).toEqual([
    "POST /v1/messages?beta=true",
    "POST /v1/messages?beta=true",
  ]);
  const [first, second] = backend.requests.map((request) => request.body as MessageCreateParams);
  expect(first).toMatchObject({ stream: true, model: "claude-opus-5-5" });
  expect(backend.requests[0]!.headers).toMatchObject({ "x-api-key": "sk-test", "anthropic-version": "2023-06-01" });

  const results = second!.messages.flatMap((message) =>
    Array.isArray(message.content) ? message.content.filter((block): block is ToolResultBlockParam => block.type === "tool_result") : [],
  );
  expect(results).toHaveLength(1);
  expect(results[0]!.tool_use_id).toBe("toolu_fake_bash_1");
  expect(results[0]!.content).toBe("hello-from-tool");
  expect(results[0]!.is_error).toBe(false);
}, 60_000);

test("Claude Code retries once without streaming when a streaming request gets JSON back", async () => {
  backend = startFakeAnthropicBackend([
    anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "ignored JSON answer" }] })),
    anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "answer from the retry" }] })),
  ]);

  const run = await runClaudeCode({ baseUrl: backend.url, prompt: "say hi", timeoutMs: TIMEOUT_MS });

  expect(run.exitCode).toBe(0);
  expect(run.json?.result).toBe("answer from the retry");
  const bodies = backend.requests.map((request) => request.body as MessageCreateParams);
  expect(bodies.map((body) => [body.stream, body.max_tokens])).toEqual([
    [true, 128000],
    [false, 64000],
  ]);
}, 60_000);

test("a run that outlives its timeout is killed and reported as timed out", async () => {
  backend = startFakeAnthropicBackend({ type: "hang" });

  const run = await runClaudeCode({ baseUrl: backend.url, prompt: "say hi", timeoutMs: 3_000 });

  expect(run).toMatchObject({ timedOut: true, exitCode: null });
  expect(run.json).toBeUndefined();
}, 60_000);
