/**
 * `kill -9` of `anyclaude serve` during cache and history writes, 50 times over on one data dir
 * (test/support/crash-restart-cycles.ts; the suite runs 5): prints the kills, the committed rows
 * and cached answers confirmed before each kill, and anything lost or damaged after one.
 *
 *   bun bench/crash-loop.ts [--cycles 50] [--seed 1]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCrashRestartCycles } from "../test/support/crash-restart-cycles";
import { seededRandom } from "../test/support/seeded-random";
import { exitWithHelpIfAsked } from "./bench-args";
import { spawnBenchProcess } from "./spawn-bench-process";

const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "50" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h", default: false },
  },
});
exitWithHelpIfAsked(values.help, "usage: bun bench/crash-loop.ts [--cycles 50] [--seed 1]\n");

const root = join(import.meta.dir, "..");
const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-crash-loop-"));
const engine = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: root });
const random = seededRandom(Number(values.seed));
const started = performance.now();
try {
  const summary = await runCrashRestartCycles({
    cycles: Number(values.cycles),
    engineUrl: engine.url,
    dataDir,
    root,
    random,
    onCycle: (cycle, progress) =>
      process.stderr.write(`\rcycle ${cycle}: ${progress.confirmedRows} rows, ${progress.confirmedAnswers} answers confirmed   `),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\ncrash loop: ${summary.kills} kills -9 in ${seconds.toFixed(0)} s (${((seconds / summary.kills) * 1000).toFixed(0)} ms a cycle)`,
  );
  console.log(`  committed before the kills: ${summary.confirmedRows} history rows, ${summary.confirmedAnswers} cached answers`);
  console.log(
    `  lost or damaged after a kill: ${summary.problems.length === 0 ? "nothing; integrity_check ok every time" : summary.problems.join("\n  ")}`,
  );
  process.exitCode = summary.problems.length === 0 ? 0 : 1;
} finally {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
