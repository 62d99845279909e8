/**
 * `anyclaude stats` in-process through runCli: from the running server the configuration names
 * (or --url), with the backends' state now, and from one whose keys are in the store with the
 * key given; from the database file when nothing listens; an error when neither is there, or
 * when the URL given cannot be reached.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatsReport } from "../../src/cli/format-request-stats";
import { openStore, STORE_FILE_NAME } from "../../src/store/open-store";
import { RequestHistoryRepository } from "../../src/store/request-history-repository";
import { type DashboardScenario, SCRIPTED_TRAFFIC, startDashboardScenario } from "../support/dashboard-scenario";
import { findClosedPort } from "../support/find-closed-port";
import { makeHistoryRow, writeHistoryRows } from "../support/history-rows";
import { runCliInProcess } from "../support/run-cli-in-process";
import { runKeysCommand } from "../support/run-keys-command";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const HOUR = 3_600_000;

function run(args: string[], home: string, env: Record<string, string> = {}) {
  return runCliInProcess(["stats", ...args], { HOME: home, ...env });
}

describe("from a running server", () => {
  let scenario: DashboardScenario;
  beforeAll(async () => {
    scenario = await startDashboardScenario();
    for (const step of SCRIPTED_TRAFFIC.steps) await scenario.send(step);
  });
  afterAll(() => scenario?.stop());

  test("the one the configuration names: the hour and the day, the backends as they are now", async () => {
    const { status, stdout, stderr } = await run(
      ["--host", "127.0.0.1", "--port", String(scenario.proxy.server.port), "--data-dir", join(scenario.dataDir, "elsewhere")],
      scenario.dataDir,
    );
    expect([status, stderr]).toEqual([0, ""]);
    const lines = stdout.split("\n").map((line) => line.trim().replace(/ {2,}/g, " | "));
    expect(lines[0]).toBe(`anyclaude stats, from ${scenario.proxy.url}`);
    expect(lines).toContain("last hour | last day");
    expect(lines).toContain(`requests | ${SCRIPTED_TRAFFIC.expected.requests} | ${SCRIPTED_TRAFFIC.expected.requests}`);
    expect(lines).toContain("errors | 1 | 1");
    expect(lines).toContain("cache hit rate | 40.0 % | 40.0 %");
    expect(lines).toContain("cache hits / misses | 2 / 3 | 2 / 3");
    expect(lines.some((line) => line.startsWith("llama: up, circuit closed, 0 in flight, 0 queued; 2 requests, 0 errors"))).toBe(true);
    expect(lines.some((line) => line.startsWith("down: down, circuit"))).toBe(true);
  });

  test("--url, as JSON: the objects /api/stats answers", async () => {
    const { status, stdout } = await run(["--url", `${scenario.proxy.url}/`, "--json"], scenario.dataDir);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as StatsReport;
    expect(report.source).toBe(scenario.proxy.url);
    expect(report.hour).toMatchObject({ requests: 5, errors: 1, cache: { misses: 3 } });
    expect(report.day.window.to - report.day.window.from).toBeGreaterThanOrEqual(24 * HOUR);
  });
});

describe("from a server whose keys are in the store", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-stats-keys-"));
  let proxy: StartedProxy;
  let key: string;
  beforeAll(async () => {
    const added = await runKeysCommand(["add", "ops"], dataDir);
    key = added.stdout.trimEnd().split("\n").at(-1)!;
    proxy = await startProxy({ paths: { dataDir, cacheDir: dataDir } });
  });
  afterAll(async () => {
    await proxy?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("without a key: the server's 401, and how to give one", async () => {
    const { status, stderr } = await run(["--url", proxy.url], dataDir);
    expect(status).toBe(1);
    expect(stderr).toStartWith(`anyclaude: ${proxy.url} answered 401: `);
    expect(stderr).toContain("--key, or ANTHROPIC_API_KEY");
  });

  test("with --key, or with ANTHROPIC_API_KEY as Claude Code has it: the server's report", async () => {
    for (const [args, env] of [
      [["--key", key], {}],
      [[], { ANTHROPIC_API_KEY: key }],
    ] as const) {
      const { status, stdout, stderr } = await run(["--url", proxy.url, "--json", ...args], dataDir, env);
      expect([status, stderr]).toEqual([0, ""]);
      expect((JSON.parse(stdout) as StatsReport).source).toBe(proxy.url);
    }
  });
});

describe("without a server", () => {
  const home = mkdtempSync(join(tmpdir(), "anyclaude-stats-cli-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  test("reads the database file in the data dir: the hour, the day, the backends without their state", async () => {
    const store = openStore({ path: join(home, ".local/share/anyclaude", STORE_FILE_NAME) });
    const now = Date.now();
    writeHistoryRows(new RequestHistoryRepository(store.db), [
      makeHistoryRow({ at: now - 10 * HOUR, latencyMs: 2000 }),
      makeHistoryRow({ at: now - 60_000, latencyMs: 1000 }),
      makeHistoryRow({ at: now - 30_000, backend: null, cache: "hit", latencyMs: 1 }),
    ]);
    store.close();
    const port = await findClosedPort();
    const { status, stdout, stderr } = await run(["--port", String(port)], home);
    expect([status, stderr]).toEqual([0, ""]);
    const lines = stdout.split("\n").map((line) => line.trim().replace(/ {2,}/g, " | "));
    expect(lines[0]).toBe(`anyclaude stats, from ${join(home, ".local/share/anyclaude", STORE_FILE_NAME)}`);
    expect(lines).toContain("requests | 2 | 3");
    expect(lines).toContain("cache hit rate | 50.0 % | 33.3 %");
    expect(lines).toContain("llama: 2 requests, 0 errors, mean 1.50 s, 43.5 tokens/s");
  });

  test("with neither a server nor a database: says so, status 1", async () => {
    const empty = mkdtempSync(join(tmpdir(), "anyclaude-stats-empty-"));
    const port = await findClosedPort();
    const { status, stderr } = await run(["--port", String(port)], empty);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^anyclaude: no server answered at http:\/\/127\.0\.0\.1:\d+ and there is no history yet at .*anyclaude\.db\n$/);
    rmSync(empty, { recursive: true, force: true });
  });

  test("a --url that cannot be reached is an error, not a quiet switch to the file", async () => {
    const port = await findClosedPort();
    const { status, stderr } = await run(["--url", `http://127.0.0.1:${port}`], home);
    expect(status).toBe(1);
    expect(stderr).toContain("anyclaude: ");
    expect(stderr).toContain("Unable to connect");
  });

  test("--help, and a usage mistake exits 2", async () => {
    expect((await run(["--help"], home)).stdout).toStartWith("Usage: anyclaude stats [--url URL] [--key KEY] [--json] [options]");
    expect((await run(["--window", "1h"], home)).status).toBe(2);
  });
});
