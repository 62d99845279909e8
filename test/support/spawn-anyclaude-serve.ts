/**
 * Runs `anyclaude serve` as a user would, in its own process (`bun src/cli/main.ts serve`),
 * and collects what it prints so a test can wait for a line, read the address it announced,
 * signal it, and read its exit status.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

const MAIN = join(import.meta.dir, "../../src/cli/main.ts");
const EXPORT_LINE = /^ {2}export ANTHROPIC_BASE_URL=(http:\/\/([^:\s]+):(\d+))$/m;

export interface ServeAddress {
  /** As printed in the export line: `http://<host>:<port>`. */
  url: string;
  host: string;
  port: number;
}

export interface SpawnServeOptions {
  /** HOME for the process: an empty directory means no user config file is read. */
  home: string;
  /** Added to a minimal environment (PATH, HOME, NO_COLOR); nothing else is inherited. */
  env?: Record<string, string>;
}

/** A running `anyclaude serve`; stdout and stderr are collected as they arrive. */
export class ServeProcess {
  stdout = "";
  stderr = "";
  private waiters: Array<() => void> = [];
  private readonly outputDone: Promise<unknown>;

  constructor(readonly child: Subprocess<"ignore", "pipe", "pipe">) {
    this.outputDone = Promise.all([this.collect(child.stdout, "stdout"), this.collect(child.stderr, "stderr")]);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray> {
    return this.waitFor("stdout", pattern);
  }

  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray> {
    return this.waitFor("stderr", pattern);
  }

  /** The address from the export line, once it is printed. */
  async address(): Promise<ServeAddress> {
    const [, url, host, port] = await this.waitForStdout(EXPORT_LINE);
    return { url: url!, host: host!, port: Number(port) };
  }

  /** Exit status and everything printed, once the process has ended. */
  async ended(): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const status = await this.child.exited;
    await this.outputDone;
    return { status, stdout: this.stdout, stderr: this.stderr };
  }

  /** Signals this process only (by its PID). */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the first match; rejects, showing all output, if the process exits first. */
  private async waitFor(stream: "stdout" | "stderr", pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const match = this[stream].match(pattern);
      if (match) return match;
      if (!this.running) {
        await this.outputDone;
        const late = this[stream].match(pattern);
        if (late) return late;
        const status = this.child.exitCode ?? this.child.signalCode;
        throw new Error(`anyclaude exited (${status}) before printing ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        void this.child.exited.then(() => resolve());
      });
    }
  }

  private async collect(stream: ReadableStream<Uint8Array>, into: "stdout" | "stderr") {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this[into] += decoder.decode(chunk, { stream: true });
      for (const wake of this.waiters.splice(0)) wake();
    }
  }
}

/**
 * @example
 * const serve = spawnAnyclaudeServe(["--port", "0", "--backend", backend.url], { home });
 * const { url } = await serve.address();
 * serve.kill("SIGTERM");
 * expect((await serve.ended()).status).toBe(0);
 */
export function spawnAnyclaudeServe(args: string[], options: SpawnServeOptions): ServeProcess {
  const child = Bun.spawn([process.execPath, MAIN, "serve", ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: options.home, NO_COLOR: "1", ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return new ServeProcess(child);
}

/**
 * A process's environment as the kernel holds it: what it started with, which is what
 * JavaScriptCore and mimalloc read.
 *
 * @example
 * expect(readProcessEnvironment(serve.child.pid).BUN_JSC_useFTLJIT).toBe("0");
 */
export function readProcessEnvironment(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
}
