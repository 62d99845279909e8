/**
 * Runs one benchmark against several compiled anyclaude builds in alternating rounds and prints
 * the median of each figure over the rounds, with each build's ratio to the first: on a shared
 * machine the load drifts within minutes, so only interleaved rounds compare builds fairly.
 *
 * @example
 * bun bench/compare-builds.ts --bench long-conversation --rounds 10 before=/tmp/a/dist/anyclaude after=dist/anyclaude
 * bun bench/compare-builds.ts --bench overhead --rounds 10 --columns "added p50/p95/p99,proxy CPU/req" before=… after=…
 */
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { exitWithHelpIfAsked } from "./bench-args";
import { medianOf, readMarkdownTables, type TableFigures } from "./read-markdown-tables";

const HELP = `Usage: bun bench/compare-builds.ts [options] LABEL=BINARY LABEL=BINARY…

  --bench NAME     long-conversation (default) or overhead (run with --quick)
  --rounds N       rounds; each runs the bench once per build, the order turning each round (default 8)
  --columns LIST   comma-separated column headers to compare (default: the bench's added p50 and proxy CPU)
  -h, --help       this text
`;

const BENCHES: Record<string, { args: string[]; columns: string[] }> = {
  "long-conversation": { args: [], columns: ["added p50", "proxy CPU p50"] },
  overhead: { args: ["--quick"], columns: ["added p50/p95/p99", "proxy CPU/req"] },
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bench: { type: "string", default: "long-conversation" },
    rounds: { type: "string", default: "8" },
    columns: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
exitWithHelpIfAsked(values.help, HELP);
const bench = BENCHES[values.bench!];
if (!bench) throw new Error(`--bench takes ${Object.keys(BENCHES).join(" or ")}, not "${values.bench}"`);
const builds = positionals.map((arg) => {
  const [label, path] = arg.split("=", 2);
  if (!label || !path) throw new Error(`builds are given as LABEL=BINARY, not "${arg}"`);
  return { label, binary: resolve(path) };
});
if (builds.length < 2) throw new Error("give at least two builds to compare");
const rounds = Number(values.rounds);
const columns = values.columns?.split(",").map((column) => column.trim()) ?? bench.columns;

const runs = new Map<string, TableFigures[]>(builds.map((build) => [build.label, []]));
const loads: number[] = [];
for (let round = 0; round < rounds; round++) {
  const order = builds.map((_, index) => builds[(index + round) % builds.length]!);
  for (const build of order) {
    loads.push(loadavg()[0]!);
    const script = join(import.meta.dir, `${values.bench}.ts`);
    const child = Bun.spawn(["bun", script, ...bench.args, "--binary", build.binary], { stdout: "pipe", stderr: "inherit" });
    const output = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) throw new Error(`${values.bench} failed for ${build.label}:\n${output}`);
    runs.get(build.label)!.push(readMarkdownTables(output));
    process.stderr.write(`round ${round + 1}/${rounds}: ${build.label} done\n`);
  }
}

const first = builds[0]!.label;
console.log(`## ${values.bench}: medians over ${rounds} alternating rounds, ${new Date().toISOString().slice(0, 16)} UTC`);
console.log(`Load average (1 min) at each run's start: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`);
console.log(builds.map((build) => `${build.label}: ${build.binary}`).join("\n"));
for (const column of columns) {
  console.log(`\n### ${column} (first figure of the cell), ratio to ${first}\n`);
  console.log(`| row | ${builds.map((build) => build.label).join(" | ")} |`);
  console.log(`|---|${builds.map(() => "---").join("|")}|`);
  for (const row of runs.get(first)![0]!.rows(column)) {
    const medians = builds.map((build) => medianOf(runs.get(build.label)!, row, column));
    const base = medians[0]!;
    const cells = medians.map((value, index) =>
      index === 0 ? value.toFixed(2) : `${value.toFixed(2)} (${((value / base - 1) * 100).toFixed(1).replace(/^(?!-)/, "+")} %)`,
    );
    console.log(`| ${row} | ${cells.join(" | ")} |`);
  }
}
