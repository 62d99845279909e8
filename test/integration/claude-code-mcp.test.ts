/**
 * The real Claude Code CLI (`claude -p`) through anyclaude with an MCP server configured in
 * anyclaude, not in Claude Code: the engine calls the server's tool, anyclaude runs it and
 * streams the mcp_tool_use / mcp_tool_result blocks, Claude Code takes them in stride, runs its
 * own Bash call with what the tool returned, and sends the blocks back on its next turn.
 */
import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestMcpServer } from "../support/mcp-http-server";
import { runClaudeCode } from "../support/run-claude-code";
import { startProxy } from "../support/start-proxy";
import { type EngineRequest, startToolCallingEngine, toolNamesIn, toolResultsIn } from "./proxy-tools-test-kit";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const FINAL_TEXT = "The secret is in marker.txt.";

test("Claude Code reads the proxy's MCP blocks, runs its own Bash with the tool's answer, and sends the blocks back", async () => {
  const mcp = await startTestMcpServer([{ name: "secret", description: "Returns the secret word.", run: async () => "swordfish" }]);
  cleanups.push(() => mcp.stop());
  const engine = startToolCallingEngine((request: EngineRequest) => {
    const [result] = toolResultsIn(request);
    if (result?.content === "swordfish")
      return {
        toolCalls: [{ name: "Bash", id: "call_bash", args: { command: "echo swordfish > marker.txt", description: "Write the secret" } }],
      };
    if (result) return { text: FINAL_TEXT };
    return { text: "Asking the secret server.", toolCalls: [{ name: "mcp__vault__secret", id: "call_secret", args: {} }] };
  });
  cleanups.push(() => engine.stop());
  const proxy = await startProxy({ mcp: { servers: { vault: { url: mcp.url } } } as never }, [
    { url: engine.url, kind: "llamacpp", mode: "translate" },
  ]);
  cleanups.push(() => proxy.stop());
  const cwd = await mkdtemp(join(tmpdir(), "anyclaude-cc-mcp-"));
  cleanups.push(() => rm(cwd, { recursive: true, force: true }));

  const run = await runClaudeCode({ baseUrl: proxy.url, prompt: "write the secret to marker.txt", cwd, timeoutMs: 45_000 });

  expect({ exitCode: run.exitCode, stderr: run.stderr, isError: run.json?.is_error, result: run.json?.result }).toEqual({
    exitCode: 0,
    stderr: "",
    isError: false,
    result: FINAL_TEXT,
  });
  expect(await Bun.file(join(cwd, "marker.txt")).text()).toBe("swordfish\n");
  expect(mcp.calls).toEqual([{ name: "secret", args: {} }]);

  const requests = engine.requestsTo("/v1/chat/completions").map((request) => request.body as EngineRequest);
  expect(toolNamesIn(requests[0]!)).toContain("mcp__vault__secret");
  // The last turn: Claude Code sent back the proxy's blocks, read by the engine as its own call and result.
  const last = requests.at(-1)!;
  const calls = last.messages.flatMap((message) => message.tool_calls ?? []).map((call) => call.function.name);
  expect(calls).toEqual(["mcp__vault__secret", "Bash"]);
  expect(last.messages.filter((message) => message.role === "tool").map((message) => message.content)).toEqual([
    "swordfish",
    "(Bash completed with no output)",
  ]);
}, 60_000);
