/**
 * Doctor's rows about a running `anyclaude serve`, read from its /health: one per backend, ok
 * while in rotation with a closed circuit, a warning otherwise; one ok row when none runs.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { checkRunningRouter } from "../../../src/cli/doctor-router-check";
import { type Config, ConfigSchema } from "../../../src/config/config-schema";
import { openAIError, startFakeOpenAIBackend } from "../../support/fake-openai-backend";
import { findClosedPort } from "../../support/find-closed-port";
import { type StartedProxy, startProxy } from "../../support/start-proxy";

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

const configAt = (port: number) => Value.Default(ConfigSchema, { server: { host: "127.0.0.1", port } }) as Config;

async function start(...args: Parameters<typeof startProxy>): Promise<StartedProxy> {
  const proxy = await startProxy(...args);
  running.push(proxy);
  return proxy;
}

describe("checkRunningRouter", () => {
  test("no server on the configured port: one ok row saying so", async () => {
    const port = await findClosedPort();
    expect(await checkRunningRouter(configAt(port))).toEqual([
      {
        check: "router",
        status: "ok",
        detail: `no anyclaude serve answering at http://127.0.0.1:${port}/health; the router's live state shows here while one runs`,
      },
    ]);
  });

  test("a backend in rotation: ok with its load", async () => {
    const engine = startFakeOpenAIBackend(openAIError(500, "unused"));
    running.push(engine);
    const proxy = await start({}, [{ id: "gpu", url: engine.url, kind: "llamacpp", mode: "translate", maxConcurrency: 2 }]);
    expect(await checkRunningRouter(configAt(proxy.server.port))).toEqual([
      {
        check: "gpu router",
        status: "ok",
        detail: "in rotation, circuit closed, models qwen3-coder-30b-a3b (32768 ctx), 0 in flight of 2, 0 queued",
      },
    ]);
  });

  test("a backend out of rotation: a warning with the reason and what happens next", async () => {
    const port = await findClosedPort();
    const proxy = await start({ health: { unhealthyAfter: 1 } }, [
      { id: "lan", url: `http://127.0.0.1:${port}`, kind: "vllm", mode: "translate" },
    ]);
    const [row] = await checkRunningRouter(configAt(proxy.server.port));
    expect(row).toMatchObject({
      check: "lan router",
      status: "warn",
      detail: expect.stringMatching(/^out of rotation, circuit closed, 0 in flight, 0 queued: backend lan is unreachable/),
      fix: expect.stringContaining("keeps probing it"),
    });
  });

  test("with discovery on: a row saying what was found since start-up and which ports are still looked at", async () => {
    const [empty, late] = [await findClosedPort(), await findClosedPort()];
    const proxy = await start({ discovery: { enabled: true, ports: [empty, late], rescanMs: 600_000 } });
    const engine = startFakeOpenAIBackend(openAIError(500, "unused"), { port: late });
    running.push(engine);
    // A request that finds no backend looks at once.
    await fetch(`${proxy.url}/v1/models`);
    const rows = await checkRunningRouter(configAt(proxy.server.port));
    expect(rows.map((row) => row.check)).toEqual([`llamacpp-${late} router`, "router discovery"]);
    expect(rows[0]!.detail).toStartWith("in rotation, circuit closed, models qwen3-coder-30b-a3b (32768 ctx)");
    expect(rows[1]).toEqual({
      check: "router discovery",
      status: "ok",
      detail: expect.stringMatching(
        new RegExp(
          `^found llamacpp-${late} at http://127\\.0\\.0\\.1:${late} \\(\\S+\\); still looking on 127\\.0\\.0\\.1 ports ${empty} \\(next \\S+\\)$`,
        ),
      ),
    });
  });
});
