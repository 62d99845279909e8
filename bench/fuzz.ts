/**
 * The fuzz property of test/integration/fuzz-requests.test.ts at scale, against `anyclaude serve`
 * in a process of its own (cache on, a scratch data dir) in front of the lean loopback engine:
 * every mutated Claude Code request gets a complete 2xx or a 4xx with Anthropic's error body,
 * never a 5xx or a hang, and /health answers between batches. Failures print their seeds.
 *
 *   bun bench/fuzz.ts [--cases 100000] [--seed 1] [--concurrency 8] [--timeout-ms 15000]
 */
import { parseArgs } from "node:util";
import { readClaudeCodeRequests } from "../test/support/claude-code-fixtures";
import { makeFuzzCase } from "../test/support/fuzz-claude-code-request";
import { sendFuzzCase } from "../test/support/send-fuzz-case";
import { exitWithHelpIfAsked } from "./bench-args";
import { spawnBenchProcess, startBenchProxy } from "./spawn-bench-process";

const HELP = `usage: bun bench/fuzz.ts [--cases N] [--seed FIRST] [--concurrency C] [--timeout-ms MS]
  Sends N seeded fuzz cases (seeds FIRST..FIRST+N-1) to anyclaude serve; replay one with
  FUZZ_SEED=<seed> bun test test/integration/fuzz-requests.test.ts, or --seed <seed> --cases 1.
`;
const BATCH = 1_000;

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "8" },
    "timeout-ms": { type: "string", default: "15000" },
    help: { type: "boolean", short: "h", default: false },
  },
});
exitWithHelpIfAsked(values.help, HELP);
const cases = Number(values.cases);
const firstSeed = Number(values.seed);
const concurrency = Number(values.concurrency);
const timeoutMs = Number(values["timeout-ms"]);

const root = `${import.meta.dir}/..`;
const backend = await spawnBenchProcess(["bench/lean-openai-backend.ts"], { cwd: root });
const proxy = await startBenchProxy(backend.url, { root, env: { ANYCLAUDE_CACHE__ENABLED: "true" } });
const bases = readClaudeCodeRequests();
const statuses = new Map<number, number>();
const failures: string[] = [];
let healthFailures = 0;
const rssStart = proxy.readRss();
const started = performance.now();

try {
  for (let batchStart = 0; batchStart < cases; batchStart += BATCH) {
    let next = firstSeed + batchStart;
    const end = firstSeed + Math.min(batchStart + BATCH, cases);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let seed = next++; seed < end; seed = next++) {
          const fuzzCase = makeFuzzCase(bases, seed);
          const verdict = await sendFuzzCase(proxy.url, fuzzCase, timeoutMs);
          statuses.set(verdict.status, (statuses.get(verdict.status) ?? 0) + 1);
          if (!verdict.problem) continue;
          const line = `seed ${seed} (${fuzzCase.base}: ${fuzzCase.mutations.join(", ")}): ${verdict.problem}`;
          failures.push(line);
          console.error(line);
        }
      }),
    );
    const health = await fetch(`${proxy.url}/health`, { signal: AbortSignal.timeout(timeoutMs) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (health !== 200) healthFailures++;
    const done = Math.min(batchStart + BATCH, cases);
    const rate = done / ((performance.now() - started) / 1000);
    process.stderr.write(
      `\r${done}/${cases} cases, ${failures.length} failures, ${rate.toFixed(0)}/s, RSS ${(proxy.readRss() / 1e6).toFixed(0)} MB   `,
    );
  }
} finally {
  process.stderr.write("\n");
  const seconds = (performance.now() - started) / 1000;
  const rssEnd = proxy.readRss();
  await proxy.stop();
  await backend.stop();
  const shown = [...statuses].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status}: ${count}`);
  console.log(`fuzz: ${cases} cases from seed ${firstSeed}, concurrency ${concurrency}, client timeout ${timeoutMs} ms`);
  console.log(`  answers by status: ${shown.join(", ")}`);
  console.log(`  broken promises (5xx, hang, bad error body, broken stream): ${failures.length}`);
  console.log(`  /health failed after ${healthFailures} of ${Math.ceil(cases / BATCH)} batches`);
  console.log(
    `  ${seconds.toFixed(0)} s, ${(cases / seconds).toFixed(0)} cases/s; proxy RSS ${(rssStart / 1e6).toFixed(0)} → ${(rssEnd / 1e6).toFixed(0)} MB`,
  );
}
process.exit(failures.length === 0 && healthFailures === 0 ? 0 : 1);
