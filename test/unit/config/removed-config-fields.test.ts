/** A configuration written for an older anyclaude still loads: a removed field is a warning, not an error. */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load-config";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-removed-fields-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WHY = "no longer a setting; the runtime's own settings keep memory flat (docs/decisions/0013-serve-collects-sooner.md)";

test("server.fullGcEveryRequests in the file is dropped with a warning naming its line; the rest of the section applies", () => {
  const file = join(dir, "old.yaml");
  writeFileSync(file, "server:\n  port: 9001\n  fullGcEveryRequests: 2000\n");
  const warnings: string[] = [];
  const config = loadConfig({ file, env: {}, flags: {}, onWarning: (message) => warnings.push(message) });
  expect(config.server.port).toBe(9001);
  expect(Object.keys(config.server)).not.toContain("fullGcEveryRequests");
  expect(warnings).toEqual([`ignored server.fullGcEveryRequests (${file} line 3): ${WHY}`]);
});

test("ANYCLAUDE_SERVER__FULL_GC_EVERY_REQUESTS is dropped with a warning, where another unknown __ name is an error", () => {
  const warnings: string[] = [];
  const config = loadConfig({
    env: { ANYCLAUDE_SERVER__FULL_GC_EVERY_REQUESTS: "2000", ANYCLAUDE_PORT: "9002" },
    flags: {},
    onWarning: (message) => warnings.push(message),
  });
  expect(config.server.port).toBe(9002);
  expect(warnings).toEqual([`ignored server.fullGcEveryRequests (env ANYCLAUDE_SERVER__FULL_GC_EVERY_REQUESTS): ${WHY}`]);
  expect(() => loadConfig({ env: { ANYCLAUDE_SERVER__FULL_GC: "1" }, flags: {} })).toThrow("no field FULL_GC in server");
});
