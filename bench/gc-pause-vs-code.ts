/**
 * What JavaScriptCore's young-generation pause grows with (bench/README.md, tail-attribution):
 * a loop that makes garbage and calls K distinct small functions between collections, run in a
 * child process per K with the collector's log on (BUN_JSC_logGC=1). The live data is the same
 * for every K; only the code that ran since the last collection differs.
 *
 * @example
 * bun bench/gc-pause-vs-code.ts                  # K = 0, 500, 2000, 4000, default tiers and DFG off
 */
import { summarizeGcPauses } from "./gc-pauses";

const [mode, count] = process.argv.slice(2);
if (mode === "--child") runChild(Number(count));
else await runAll();

async function runAll(): Promise<void> {
  const tiers = [
    { label: "default tiers", env: {} },
    { label: "DFG off (baseline JIT only)", env: { BUN_JSC_useDFGJIT: "0" } },
  ];
  process.stdout.write(
    `Bun ${Bun.version}: young-collection pause p50 / p90 (count), by distinct functions called between collections\n\n`,
  );
  process.stdout.write(`| K | ${tiers.map((tier) => tier.label).join(" | ")} |\n|---|${tiers.map(() => "---").join("|")}|\n`);
  for (const functions of [0, 500, 2000, 4000]) {
    const cells: string[] = [];
    for (const tier of tiers) {
      const child = Bun.spawn([process.execPath, import.meta.path, "--child", String(functions)], {
        env: { ...process.env, ...tier.env, BUN_JSC_logGC: "1" },
        stdout: "ignore",
        stderr: "pipe",
      });
      const log = await new Response(child.stderr).text();
      if ((await child.exited) !== 0) throw new Error(`the child with K=${functions} failed:\n${log.slice(-2000)}`);
      const { eden } = summarizeGcPauses(log);
      cells.push(eden.count === 0 ? "no collection" : `${eden.p50!.toFixed(2)} / ${eden.p90!.toFixed(2)} ms (${eden.count})`);
    }
    process.stdout.write(`| ${functions} | ${cells.join(" | ")} |\n`);
  }
}

function runChild(functions: number): void {
  const called = Array.from(
    { length: functions },
    (_, index) =>
      new Function(
        "o",
        `let s = 0; for (const k of ["a", "b", "c"]) if (o[k] !== undefined) s += o[k]; return s + (o.p?.q ?? 1) + String(o.a).length + ${index};`,
      ) as (o: object) => number,
  );
  let sink = 0;
  let garbage: object[] = [];
  for (let round = 0; round < 6000; round++) {
    const input = { a: round, b: 2, c: 3, p: { q: round } };
    for (const run of called) sink += run(input);
    for (let j = 0; j < 200; j++) garbage.push({ j, s: `x${j}` });
    if (garbage.length > 5000) garbage = [];
  }
  if (sink < 0) throw new Error("unreachable: keeps the calls from being optimized away");
}
