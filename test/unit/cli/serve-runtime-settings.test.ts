/**
 * When `serve` leaves the process as it is. (That it replaces itself with the settings, same
 * PID and arguments, and that a value the user set wins, is shown on the real entry point in
 * test/integration/cli-serve.test.ts.)
 */
import { expect, test } from "bun:test";
import { applyServeRuntimeSettings, SERVE_RUNTIME_ENVIRONMENT } from "../../../src/cli/serve-runtime-settings";

test("settings already in the environment, the user's or its own after the restart, are left in effect", () => {
  expect(applyServeRuntimeSettings({ ...SERVE_RUNTIME_ENVIRONMENT })).toEqual({ kind: "in-effect" });
  const chosenByUser = Object.fromEntries(Object.keys(SERVE_RUNTIME_ENVIRONMENT).map((name) => [name, "1"]));
  expect(applyServeRuntimeSettings(chosenByUser)).toEqual({ kind: "in-effect" });
});

test("off Linux there is no /proc/self/exe to run again: the process goes on with Bun's defaults", () => {
  expect(applyServeRuntimeSettings({}, "darwin")).toEqual({ kind: "unsupported", platform: "darwin" });
});

test("the settings are the collector's, the JIT's and the allocator's, and none is empty", () => {
  expect(Object.keys(SERVE_RUNTIME_ENVIRONMENT).sort()).toEqual([
    "BUN_JSC_minEdenToOldGenerationRatio",
    "BUN_JSC_useFTLJIT",
    "MIMALLOC_PURGE_DELAY",
  ]);
  for (const value of Object.values(SERVE_RUNTIME_ENVIRONMENT)) expect(value).not.toBe("");
});
