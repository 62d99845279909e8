/**
 * Zero-config routing through the compiled binary on a bare machine (no config file): two
 * engines given with --backend back each other up when one dies and comes back, and with no
 * backend an engine started after it is found without a restart. The same checks as
 * test/integration/cli-serve.test.ts runs against the sources.
 */
import { afterAll, beforeAll, describe, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BareMachine, findOrBuildAnyclaudeBinary, prepareBareMachine } from "../support/anyclaude-binary";
import { ServeProcess } from "../support/spawn-anyclaude-serve";
import { expectCommandLineFailover, expectLateEngineFound, type StartServe } from "../support/zero-config-serve-checks";

// Compiling takes a few seconds on a quiet machine, much longer on two busy cores.
const BUILD_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 120_000;

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-binary-zero-config-"));
let machine: BareMachine;
const started: ServeProcess[] = [];

beforeAll(async () => {
  machine = prepareBareMachine((await findOrBuildAnyclaudeBinary(scratch)).path, scratch);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  for (const serve of started) if (serve.running) serve.kill("SIGKILL");
  await Promise.all(started.map((serve) => serve.ended()));
  machine?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** The binary's `serve`, by PID; killed at the end if still running. */
const startServe: StartServe = (args, env) => {
  const child = Bun.spawn([machine.binary, "serve", ...args], {
    cwd: machine.cwd,
    env: { ...machine.env, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const serve = new ServeProcess(child);
  started.push(serve);
  return serve;
};

describe("the compiled binary with no configuration", () => {
  test(
    "two --backend engines: the primary dies mid-run under 200 requests, all succeed, and it takes traffic again",
    () => expectCommandLineFailover(startServe),
    STEP_TIMEOUT_MS,
  );

  test(
    "nothing listening at start: an engine started on a discovery port serves the next request without a restart",
    () => expectLateEngineFound(startServe),
    STEP_TIMEOUT_MS,
  );
});
