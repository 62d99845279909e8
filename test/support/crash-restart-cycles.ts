/**
 * `kill -9` of a serving anyclaude while its cache and request history are being written, over
 * and over on one data dir. Each cycle confirms rows the proxy has committed (history rows listed
 * by /api/requests, which flushes first; answers that come back as cache hits), then sends more and
 * kills the process in the middle of them. After every kill the file must pass integrity_check and
 * hold every confirmed history row; after every restart every confirmed answer must still be a hit.
 */
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface CrashCyclesOptions {
  cycles: number;
  engineUrl: string;
  dataDir: string;
  /** The repository root, where `src/cli/main.ts` is. */
  root: string;
  random: () => number;
  onCycle?: (cycle: number, summary: CrashCyclesSummary) => void;
}

export interface CrashCyclesSummary {
  kills: number;
  confirmedRows: number;
  confirmedAnswers: number;
  /** Everything that broke the promise; empty when it held. */
  problems: string[];
}

const STARTUP_MS = 30_000;

/**
 * @example
 * const summary = await runCrashRestartCycles({ cycles: 50, engineUrl, dataDir, root, random: Math.random });
 * expect(summary.problems).toEqual([]);
 */
export async function runCrashRestartCycles(options: CrashCyclesOptions): Promise<CrashCyclesSummary> {
  const summary: CrashCyclesSummary = { kills: 0, confirmedRows: 0, confirmedAnswers: 0, problems: [] };
  const rows = new Set<string>();
  const answers: string[] = [];
  let asked = 0;
  for (let cycle = 1; cycle <= options.cycles && summary.problems.length === 0; cycle++) {
    const proxy = await startServe(options);
    try {
      for (const question of answers) {
        const reply = await ask(proxy.url, question);
        if (reply.cache !== "hit")
          summary.problems.push(`cycle ${cycle}: confirmed answer "${question}" came back as ${reply.status} ${reply.cache}`);
      }
      // Committed before the kill: rows the history listed, answers that came back from the cache.
      const first = await Promise.all(Array.from({ length: 6 }, () => ask(proxy.url, `question ${++asked}`)));
      const page = (await (await fetch(`${proxy.url}/api/requests?limit=500`)).json()) as { requests: Array<{ requestId: string }> };
      const listed = new Set(page.requests.map((row) => row.requestId));
      for (const reply of first) if (reply.requestId && listed.has(reply.requestId)) rows.add(reply.requestId);
      const question = `question ${asked}`;
      while ((await ask(proxy.url, question)).cache !== "hit") await Bun.sleep(20);
      answers.push(question);
      // Then more writes in flight, and the kill somewhere among them.
      // Not awaited: the kill cuts them off, and their rejections are expected.
      for (let index = 0; index < 16; index++) void ask(proxy.url, `question ${++asked}`).catch(() => undefined);
      await Bun.sleep(options.random() * 150);
    } finally {
      proxy.child.kill("SIGKILL");
      await proxy.child.exited;
    }
    summary.kills++;
    summary.problems.push(...checkDatabase(join(options.dataDir, "anyclaude.db"), rows, cycle));
    summary.confirmedRows = rows.size;
    summary.confirmedAnswers = answers.length;
    options.onCycle?.(cycle, summary);
  }
  return summary;
}

function checkDatabase(path: string, rows: ReadonlySet<string>, cycle: number): string[] {
  if (!existsSync(path)) return [`cycle ${cycle}: no database at ${path}`];
  // Read-write, as the next start opens it: recovery replays the WAL the kill left.
  const db = new Database(path);
  try {
    const integrity = db
      .query<{ integrity_check: string }, []>("PRAGMA integrity_check")
      .all()
      .map((row) => row.integrity_check);
    const present = new Set(
      db
        .query<{ request_id: string }, []>("SELECT request_id FROM request_history")
        .all()
        .map((row) => row.request_id),
    );
    const missing = [...rows].filter((requestId) => !present.has(requestId));
    const problems: string[] = [];
    if (integrity.join() !== "ok") problems.push(`cycle ${cycle}: integrity_check says ${integrity.slice(0, 3).join("; ")}`);
    if (missing.length > 0) problems.push(`cycle ${cycle}: ${missing.length} committed history rows missing, e.g. ${missing[0]}`);
    return problems;
  } finally {
    db.close();
  }
}

async function ask(url: string, question: string): Promise<{ status: number; cache: string | null; requestId: string | null }> {
  const response = await fetch(`${url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 32, messages: [{ role: "user", content: question }] }),
  });
  await response.arrayBuffer();
  return { status: response.status, cache: response.headers.get("x-anyclaude-cache"), requestId: response.headers.get("request-id") };
}

async function startServe(options: CrashCyclesOptions): Promise<{ url: string; child: Bun.Subprocess<"ignore", "pipe", "pipe"> }> {
  const child = Bun.spawn(
    [process.execPath, "src/cli/main.ts", "serve", "--port", "0", "--backend", options.engineUrl, "--log-level", "warn"],
    {
      cwd: options.root,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      env: {
        ...process.env,
        NO_COLOR: "1",
        ANYCLAUDE_DATA_DIR: options.dataDir,
        ANYCLAUDE_CACHE_DIR: join(options.dataDir, "cache-dir"),
        ANYCLAUDE_CACHE__ENABLED: "true",
        ANYCLAUDE_CACHE__SEMANTIC__ENABLED: "false",
        // Written often, so a kill lands among history writes as well as cache writes.
        ANYCLAUDE_HISTORY__FLUSH_INTERVAL_MS: "100",
      },
    },
  );
  const timer = setTimeout(() => child.kill("SIGKILL"), STARTUP_MS);
  let seen = "";
  const reader = child.stdout.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`anyclaude serve exited before listening: ${seen}${await new Response(child.stderr).text()}`);
      seen += new TextDecoder().decode(value);
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        reader.releaseLock();
        void child.stdout.pipeTo(new WritableStream());
        void child.stderr.pipeTo(new WritableStream());
        return { url: match[1]!, child };
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
