/**
 * The runtime settings `serve` is started with: this Bun knows each one and applies it. Bun
 * refuses to start on a `BUN_JSC_*` name it does not know, and mimalloc ignores one silently, so
 * both dumps are read back (JavaScriptCore's options, mimalloc's when verbose).
 */
import { expect, test } from "bun:test";
import { SERVE_RUNTIME_ENVIRONMENT } from "../../../src/cli/serve-runtime-environment";

test("JavaScriptCore runs without FTL and with the sooner old-generation collections; mimalloc purges at once", () => {
  const run = Bun.spawnSync([process.execPath, "-e", "0"], {
    env: { ...SERVE_RUNTIME_ENVIRONMENT, BUN_JSC_dumpOptions: "1", MIMALLOC_VERBOSE: "1" },
  });
  expect(run.exitCode).toBe(0);
  // Both write their dumps to stderr.
  const dumps = run.stderr.toString();
  expect(dumps).toContain("useFTLJIT=false (default: true)");
  expect(dumps).toMatch(/minEdenToOldGenerationRatio=0\.6 \(default: 0\.33/);
  expect(dumps).toContain("option 'purge_delay': 0 \n");
});

test("the settings are the JIT's, the collector's and the allocator's, and none is empty", () => {
  expect(Object.keys(SERVE_RUNTIME_ENVIRONMENT).sort()).toEqual([
    "BUN_JSC_minEdenToOldGenerationRatio",
    "BUN_JSC_useFTLJIT",
    "MIMALLOC_PURGE_DELAY",
  ]);
  for (const value of Object.values(SERVE_RUNTIME_ENVIRONMENT)) expect(value).not.toBe("");
});
