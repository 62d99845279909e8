/**
 * Runs the real Claude Code CLI (the pinned devDependency) once in print mode against a given
 * base URL, offline and isolated: a fresh temporary HOME, no inherited environment, and only the
 * variables that keep it talking to that URL alone.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunClaudeCodeOptions {
  /** Where Claude Code sends its Anthropic requests (ANTHROPIC_BASE_URL). */
  baseUrl: string;
  prompt: string;
  /** The project directory Claude Code works in; a fresh empty one when omitted. */
  cwd?: string;
  /** The process is killed (SIGKILL, by PID) when it runs longer. */
  timeoutMs: number;
  extraEnv?: Record<string, string>;
  /** Appended after the default flags, e.g. `["--model", "claude-haiku-5-5"]`. */
  args?: string[];
}

export interface ClaudeCodeRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the `--output-format json` result), when it is JSON. */
  json?: ClaudeCodeResult;
  timedOut: boolean;
}

/** The fields of Claude Code's `--output-format json` result that tests read. */
interface ClaudeCodeResult {
  type: "result";
  subtype: string;
  is_error: boolean;
  result?: string;
  num_turns: number;
  stop_reason?: string;
  [field: string]: unknown;
}

const CLAUDE_BIN = join(import.meta.dir, "../../node_modules/.bin/claude");

/**
 * `--dangerously-skip-permissions` is refused as root unless IS_SANDBOX=1, and would allow every
 * tool; `--allowedTools Bash` lets the Bash tool run in print mode without a TTY prompt.
 */
const DEFAULT_FLAGS = ["--output-format", "json", "--allowedTools", "Bash"];

/**
 * @example
 * const run = await runClaudeCode({ baseUrl: backend.url, prompt: "say hi", timeoutMs: 30_000 });
 * expect(run.exitCode).toBe(0);
 * expect(run.json?.result).toBe("hi");
 */
export async function runClaudeCode(options: RunClaudeCodeOptions): Promise<ClaudeCodeRun> {
  const home = await mkdtemp(join(tmpdir(), "anyclaude-cc-home-"));
  const cwd = options.cwd ?? (await mkdtemp(join(tmpdir(), "anyclaude-cc-project-")));
  try {
    const child = Bun.spawn([CLAUDE_BIN, "-p", options.prompt, ...DEFAULT_FLAGS, ...(options.args ?? [])], {
      cwd,
      env: { ...claudeCodeEnv(home, options.baseUrl), ...options.extraEnv },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    clearTimeout(timer);
    return { exitCode: timedOut ? null : exitCode, stdout, stderr, json: parseResult(stdout), timedOut };
  } finally {
    await rm(home, { recursive: true, force: true });
    if (options.cwd === undefined) await rm(cwd, { recursive: true, force: true });
  }
}

/**
 * Nothing is inherited, so a developer's own ANTHROPIC_* settings or ~/.claude never leak in.
 *
 * @example
 * claudeCodeEnv("/tmp/home", "http://127.0.0.1:4000").ANTHROPIC_API_KEY // "sk-test"
 */
function claudeCodeEnv(home: string, baseUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-test",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    // Without it Claude Code also sends HEAD /api/hello and tries to reach Anthropic's own hosts.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}

function parseResult(stdout: string): ClaudeCodeResult | undefined {
  const text = stdout.trim();
  if (!text.startsWith("{")) return undefined;
  try {
    return JSON.parse(text) as ClaudeCodeResult;
  } catch {
    return undefined; // A half-written result (killed on timeout) stays readable in `stdout`.
  }
}
