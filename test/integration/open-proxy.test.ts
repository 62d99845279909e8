/**
 * `anyclaude serve --host 0.0.0.0` with no client key anywhere stops before it listens: a clear
 * message and exit status 78 (EX_CONFIG), from the real CLI process. `--allow-unauthenticated`
 * reaches the configuration as `server.allowUnauthenticated` (the decision itself is unit-tested
 * in test/unit/access/decide-listen-exposure.test.ts, so no test here listens beyond loopback).
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_OPTIONS, pickConfigFlags, readCommandOptions } from "../../src/cli/read-command-options";
import { loadConfig } from "../../src/config/load-config";

const MAIN = join(import.meta.dir, "../../src/cli/main.ts");
const home = mkdtempSync(join(tmpdir(), "anyclaude-open-proxy-"));

afterAll(() => rmSync(home, { recursive: true, force: true }));

test("serve --host 0.0.0.0 with no key exits 78 before listening, saying why and what to do", async () => {
  const child = Bun.spawn([process.execPath, MAIN, "serve", "--host", "0.0.0.0", "--port", "0", "--backend", "http://127.0.0.1:9"], {
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect(status).toBe(78);
  expect(stderr).toContain("server.host: refusing to listen on 0.0.0.0 with no client key");
  expect(stderr).toContain("anyclaude keys add NAME");
  expect(stderr).toContain("--allow-unauthenticated");
  // It never got as far as announcing an address.
  expect(stdout).not.toContain("ANTHROPIC_BASE_URL");
});

test("--allow-unauthenticated is a switch that sets server.allowUnauthenticated", () => {
  const io = { env: {}, stdout: () => {}, stderr: () => {}, stderrIsTerminal: false };
  const values = readCommandOptions("serve", ["--host", "0.0.0.0", "--allow-unauthenticated"], CONFIG_OPTIONS, io);
  expect(typeof values).toBe("object");
  const config = loadConfig({ env: {}, flags: pickConfigFlags(values as Exclude<typeof values, number>) });
  expect(config.server).toMatchObject({ host: "0.0.0.0", allowUnauthenticated: true });
  expect(loadConfig({ env: {}, flags: {} }).server.allowUnauthenticated).toBe(false);
});
