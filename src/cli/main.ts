#!/usr/bin/env bun
/** The `anyclaude` executable: runs the command line against the real process. */
import { runCli } from "./run-cli";
import { applyServeRuntimeSettings } from "./serve-runtime-settings";

const argv = process.argv.slice(2);
if (argv[0] === "serve") {
  // On success this process is replaced by itself with the settings (same PID); it returns otherwise.
  const settings = applyServeRuntimeSettings(process.env);
  if (settings.kind === "failed") process.stderr.write(`anyclaude: serving with Bun's default runtime settings (${settings.reason})\n`);
}

process.exitCode = await runCli(argv, {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTerminal: process.stderr.isTTY === true,
  readStdin: () => Bun.stdin.text(),
});
