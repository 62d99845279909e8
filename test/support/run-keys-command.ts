/** Runs `anyclaude keys …` as its own process (`bun src/cli/main.ts keys …`), as a user would beside a running server. */
import { join } from "node:path";

const MAIN = join(import.meta.dir, "../../src/cli/main.ts");

export interface KeysCommandRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Only PATH, HOME and NO_COLOR are passed on; the data dir is given as a flag.
 *
 * @example
 * const { stdout } = await runKeysCommand(["add", "alice"], dataDir);
 * const key = stdout.trim().split("\n").at(-1);
 */
export async function runKeysCommand(args: string[], dataDir: string, stdin?: string): Promise<KeysCommandRun> {
  const child = Bun.spawn([process.execPath, MAIN, "keys", ...args, "--data-dir", dataDir], {
    env: { PATH: process.env.PATH ?? "", HOME: dataDir, NO_COLOR: "1" },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status, stdout, stderr };
}
