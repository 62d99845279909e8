/**
 * A configured MCP server that dies: the real server-everything from npm, killed by the test
 * in the middle of a long call. The answer says the server stopped and nothing hangs; its tools
 * are withdrawn until the supervisor has it running again, then offered again.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { startProxy } from "../support/start-proxy";
import { postMessage, readFramesLive } from "./proxy-test-client";
import {
  CLIENT_TOOL,
  cleanUpAfterEach,
  type EngineRequest,
  everythingServer,
  startToolCallingEngine,
  toolNamesIn,
  toolResultsIn,
} from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();

test("a server killed mid-call: the result says so, the answer completes, its tools come back after the restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-mcp-kill-"));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  const pidFile = join(dir, "pid");
  // The shell writes the pid of what it then becomes (exec): the server-everything process itself.
  const { command, args } = everythingServer();
  const server = {
    command: "sh",
    args: ["-c", `echo $$ > '${pidFile}'; exec '${command}' '${args[0]}' stdio`],
    tools: ["trigger-long-running-operation", "echo"],
  };

  // Calls the long tool in its first answer only.
  const engine = startToolCallingEngine((request, index) => {
    const [result] = toolResultsIn(request);
    if (result) return { text: `Tool said: ${result.content}` };
    if (index > 0) return { text: "ok" };
    return { toolCalls: [{ name: "mcp__everything__trigger-long-running-operation", args: { duration: 60, steps: 1 }, id: "call_long" }] };
  });
  defer(() => engine.stop());
  const proxy = await startProxy({ mcp: { servers: { everything: server }, restartMinMs: 3_000 } as never, cache: { enabled: false } }, [
    { url: engine.url, kind: "llamacpp", mode: "translate" },
  ]);
  defer(() => proxy.stop());

  const response = await postMessage(proxy, { tools: [CLIENT_TOOL], stream: true });
  // Read by hand: leaving a for-await loop would end the generator, and the stream with it.
  const frames = readFramesLive(response);
  const events: MessageStreamEvent[] = [];
  const readUntil = async (stop: (event: MessageStreamEvent) => boolean) => {
    for (let next = await frames.next(); !next.done; next = await frames.next()) {
      events.push(next.value.data as MessageStreamEvent);
      if (stop(next.value.data as MessageStreamEvent)) return;
    }
  };
  // The call's block is complete: the proxy is running it (for 60 s, unless its server dies).
  await readUntil((event) => event.type === "content_block_stop");
  await Bun.sleep(300);
  process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGKILL");
  await readUntil(() => false);

  expect(checkAnthropicEventOrder(events)).toEqual([]);
  const result = events.find((event) => event.type === "content_block_start" && event.content_block.type === "mcp_tool_result");
  expect(result).toMatchObject({ content_block: { type: "mcp_tool_result", tool_use_id: "call_long", is_error: true } });
  const [text] = (result as { content_block: { content: Array<{ text: string }> } }).content_block.content;
  expect(text!.text).toStartWith('The MCP server "everything" stopped while running trigger-long-running-operation');
  expect(events.at(-1)).toEqual({ type: "message_stop" });

  // Withdrawn: /health says so, and the next request offers the engine none of the dead server's tools.
  const health = (await (await fetch(`${proxy.url}/health`)).json()) as { mcp_servers: unknown };
  expect(health.mcp_servers).toEqual([{ name: "everything", state: "down", tools: 0 }]);
  expect(proxy.logs.some((record) => record.msg === "MCP server stopped; its tools are withdrawn until it is back")).toBe(true);
  await postMessage(proxy, { tools: [CLIENT_TOOL] });
  const requests = engine.requestsTo("/v1/chat/completions").map((request) => request.body as EngineRequest);
  expect(toolNamesIn(requests.at(-1)!)).toEqual(["Bash"]);

  // Back after the restart.
  while (proxy.logs.filter((record) => record.msg === "MCP server up").length < 2) await Bun.sleep(20);
  await postMessage(proxy, { tools: [CLIENT_TOOL] });
  const last = engine.requestsTo("/v1/chat/completions").at(-1)!.body as EngineRequest;
  expect(toolNamesIn(last).sort()).toEqual(["Bash", "mcp__everything__echo", "mcp__everything__trigger-long-running-operation"]);
}, 30_000);
