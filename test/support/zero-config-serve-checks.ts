/**
 * Zero-config routing as a user meets it at the command line, run the same way against
 * `bun src/cli/main.ts serve` and the compiled binary: two engines given with --backend back
 * each other up, and with no backend an engine started later is found without a restart.
 */
import { expect } from "bun:test";
import {
  FAILOVER_MODEL,
  pollUntilAnsweredBy,
  sendAndKillPrimary,
  sendMessage,
  startPatientEngine,
  summarizeOutcome,
} from "./failover-scenario";
import { findClosedPort } from "./find-closed-port";
import type { ServeProcess } from "./spawn-anyclaude-serve";

/** Starts `anyclaude serve` with these arguments and variables added to its environment; the caller stops it. */
export type StartServe = (args: string[], env: Record<string, string>) => ServeProcess;

/** Recovery within a test's patience: a 1 s circuit cool-off, and probes every 100 ms while a backend fails. */
const QUICK_RECOVERY_ENV = {
  ANYCLAUDE_CIRCUIT_BREAKER__COOLDOWN_MS: "1000",
  ANYCLAUDE_HEALTH__INTERVAL_MS: "200",
  ANYCLAUDE_HEALTH__UNHEALTHY_INTERVAL_MS: "100",
};

/**
 * `serve --backend A --backend B`, both serving one model: the banner names A as primary and B
 * as what takes over; 200 concurrent requests (streamed and not) with A killed mid-run all
 * succeed, the survivor named in x-anyclaude-backend; started again, A takes traffic again
 * once its cool-off is over.
 *
 * @example
 * await expectCommandLineFailover((args, env) => startServe(args, env));
 */
export async function expectCommandLineFailover(startServe: StartServe): Promise<void> {
  const a = startPatientEngine("from a");
  const b = startPatientEngine("from b");
  let revived: ReturnType<typeof startPatientEngine> | undefined;
  try {
    const serve = startServe(["--port", "0", "--backend", a.url, "--backend", b.url], QUICK_RECOVERY_ENV);
    const { url } = await serve.address();
    const [idA, idB] = [`llamacpp-${a.port}`, `llamacpp-${b.port}`];
    expect(serve.stdout).toContain(
      `Routing (no model groups configured): Claude models go to ${idA}/${FAILOVER_MODEL}, the primary. When it fails before\n` +
        `answering, ${idB}/${FAILOVER_MODEL} takes over; the primary gets requests again once it answers and\n` +
        "its circuit cool-off (1 s) is over.",
    );

    const outcomes = await sendAndKillPrimary(url, a, 200);
    expect(outcomes.map(summarizeOutcome)).toEqual(
      outcomes.map(
        (outcome) => `200 ${outcome.stream ? "message_stop" : "json"} errors=0 text=from ${outcome.backend === idA ? "a" : "b"}`,
      ),
    );
    const survivors = outcomes.filter((outcome) => outcome.backend === idB);
    expect(survivors.filter((outcome) => outcome.attempts > 1).length).toBeGreaterThan(0);
    expect(new Set(survivors.map((outcome) => outcome.stream))).toEqual(new Set([true, false]));
    expect(outcomes.filter((outcome) => outcome.backend === idA).length).toBeGreaterThan(0);

    revived = startPatientEngine("from a again", a.port);
    const polled = await pollUntilAnsweredBy(url, idA);
    expect(polled.map((outcome) => `${outcome.status} ${outcome.backend}`)).toEqual([
      ...polled.slice(0, -1).map(() => `200 ${idB}`),
      `200 ${idA}`,
    ]);
    expect(polled.at(-1)!.text).toBe("from a again");
    // The log may reach us a little after the answer.
    await serve.waitForStderr(new RegExp(`circuit transition backend=${idA} from=closed to=open`));
    await serve.waitForStderr(new RegExp(`circuit transition backend=${idA} from=half-open to=closed`));
  } finally {
    await Promise.all([a.stop(), b.stop(), revived?.stop()]);
  }
}

/**
 * `serve` with nothing listening on the discovery port: the banner says it keeps looking; an
 * engine started there serves the next request, with no restart, and the log says it was found.
 *
 * @example
 * await expectLateEngineFound((args, env) => startServe(args, env));
 */
export async function expectLateEngineFound(startServe: StartServe): Promise<void> {
  const port = await findClosedPort();
  // Background looks far apart: the request itself must find the engine.
  const serve = startServe(["--port", "0"], { ANYCLAUDE_DISCOVERY__PORTS: String(port), ANYCLAUDE_DISCOVERY__RESCAN_MS: "600000" });
  const { url } = await serve.address();
  expect(serve.stdout).toContain(`No backend found yet: nothing answered on 127.0.0.1 port ${port}. anyclaude keeps\n`);
  expect(serve.stdout).toContain("and it is used without a restart.");
  expect(((await (await fetch(`${url}/health`)).json()) as { status: string }).status).toBe("no_backend");

  const engine = startPatientEngine("found late", port);
  try {
    expect(await sendMessage(url, true)).toMatchObject({ status: 200, backend: `llamacpp-${port}`, text: "found late" });
    expect(await sendMessage(url, false)).toMatchObject({ status: 200, backend: `llamacpp-${port}`, text: "found late" });
    await serve.waitForStderr(new RegExp(`backend found backend=llamacpp-${port} url=http://127.0.0.1:${port}`));
  } finally {
    await engine.stop();
  }
}
