/** Runs the `anyclaude` command line in this process (runCli), keeping what it prints, for CLI tests. */
import { runCli } from "../../src/cli/run-cli";

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Only `env` is the command's environment: nothing of this process's leaks in.
 *
 * @example
 * const { status, stdout } = await runCliInProcess(["cache", "stats", "--json"], { HOME: scratch });
 */
export async function runCliInProcess(args: string[], env: Record<string, string>, stderrIsTerminal = false): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTerminal,
  });
  return { status, stdout, stderr };
}
