#!/usr/bin/env bun
/** The `anyclaude` executable: runs the command line against the real process. */
import { runCli } from "./run-cli";

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTerminal: process.stderr.isTTY === true,
  readStdin: () => Bun.stdin.text(),
});
