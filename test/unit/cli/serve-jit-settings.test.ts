/**
 * When `serve` leaves the process as it is. (That it replaces itself with the settings, same
 * PID and arguments, is shown on the real entry point in test/integration/cli-serve.test.ts.)
 */
import { expect, test } from "bun:test";
import { applyServeJitSettings, SERVE_JIT_ENVIRONMENT } from "../../../src/cli/serve-jit-settings";

test("settings already in the environment, the user's or its own after the restart, are left in effect", () => {
  expect(applyServeJitSettings({ ...SERVE_JIT_ENVIRONMENT })).toEqual({ kind: "in-effect" });
  expect(applyServeJitSettings({ BUN_JSC_useFTLJIT: "1" })).toEqual({ kind: "in-effect" });
});

test("off Linux there is no /proc/self/exe to run again: the process goes on with Bun's defaults", () => {
  expect(applyServeJitSettings({}, "darwin")).toEqual({ kind: "unsupported", platform: "darwin" });
});
