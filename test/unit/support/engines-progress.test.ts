/**
 * `bun run engines` shows its build's progress with the same reporter as `models pull` and the
 * index rebuild: ninja's "[n/total]" lines become updates, the last one closing the display.
 */
import { expect, test } from "bun:test";
import { createProgressReporter } from "../../../src/log/progress-reporter";
import { reportNinjaProgress } from "../../support/engines";

test("ninja's lines become progress: plain lines in a log, the closing one at [n/n]; other lines are passed over", () => {
  const written: string[] = [];
  let clock = 0;
  const reporter = createProgressReporter("[engines] building llama-server", {
    stream: { isTTY: false, write: (text) => written.push(text) },
    now: () => clock,
    plainIntervalMs: 30_000,
  });
  const onLine = reportNinjaProgress(reporter);
  onLine("-- Configuring done");
  for (let step = 1; step <= 120; step++) {
    onLine(`[${step}/120] Building CXX object ggml/src/CMakeFiles/ggml-base.dir/ggml.c.o`);
    clock += 1_000;
  }
  expect(written).toEqual([
    "[engines] building llama-server 25% 31/120\n",
    "[engines] building llama-server 50% 61/120\n",
    "[engines] building llama-server 75% 91/120\n",
    "[engines] building llama-server 100% 120/120\n",
  ]);
});

test("on a terminal the same lines redraw one line, ended at [n/n]", () => {
  const written: string[] = [];
  const onLine = reportNinjaProgress(createProgressReporter("build", { stream: { isTTY: true, write: (text) => written.push(text) } }));
  onLine("[1/2] Building a");
  onLine("[2/2] Linking llama-server");
  expect(written.at(-1)).toBe("\n");
  expect(written.filter((text) => text.startsWith("\r"))).toHaveLength(written.length - 1);
  expect(written.at(-2)).toContain("100% 2/2");
});
