/**
 * The `anyclaude` command line: picks the command, answers --help and --version, and turns
 * every command-line mistake into a message and exit status 2.
 */
import { parseArgs } from "node:util";
import {
  formatCacheHelp,
  formatDoctorHelp,
  formatKeysHelp,
  formatMainHelp,
  formatModelsHelp,
  formatPromptHelp,
  formatServeHelp,
  formatServiceHelp,
  formatStatsHelp,
} from "./cli-help";
import { type CliIo, describeParseArgsError, EXIT_OK, isParseArgsError, reportUsageError } from "./cli-io";
import { COMMIT, VERSION } from "./version";

const COMMAND_HELP: Readonly<Record<string, () => string>> = {
  serve: formatServeHelp,
  doctor: formatDoctorHelp,
  service: formatServiceHelp,
  models: formatModelsHelp,
  cache: formatCacheHelp,
  prompt: formatPromptHelp,
  stats: formatStatsHelp,
  keys: formatKeysHelp,
};

/**
 * The command comes first (`anyclaude serve --port 9000`); with no command anyclaude prints
 * its help rather than start serving, so a bare call never opens a port by surprise.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  // Each command loads its own modules: `serve` never holds the cache CLI's, doctor's or the model downloader's.
  if (command === "serve") return (await import("./run-serve-from-args")).runServeFromArgs(rest, io);
  if (command === "doctor") return (await import("./doctor-command")).runDoctorFromArgs(rest, io);
  if (command === "service") return (await import("./service-command")).runServiceFromArgs(rest, io);
  if (command === "models") return (await import("./models-command")).runModelsFromArgs(rest, io);
  if (command === "cache") return (await import("./cache-command")).runCacheFromArgs(rest, io);
  if (command === "prompt") return (await import("./prompt-command")).runPromptFromArgs(rest, io);
  if (command === "stats") return (await import("./stats-command")).runStatsFromArgs(rest, io);
  if (command === "keys") return (await import("./keys-command")).runKeysFromArgs(rest, io);

  let parsed: { values: { help?: boolean; version?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    return reportUsageError(`${describeParseArgsError(error)} (command options go after the command)`, "anyclaude --help", io);
  }
  const [first, topic, ...extra] = parsed.positionals;
  if (parsed.values.version) {
    io.stdout(`anyclaude ${VERSION} (commit ${COMMIT})\n`);
    return EXIT_OK;
  }
  if (first === undefined || parsed.values.help) {
    io.stdout(formatMainHelp());
    return EXIT_OK;
  }
  if (first === "help" && extra.length === 0) {
    const help = topic === undefined ? formatMainHelp : COMMAND_HELP[topic];
    if (help === undefined) return reportUsageError(`no help for unknown command '${topic}'`, "anyclaude --help", io);
    io.stdout(help());
    return EXIT_OK;
  }
  return reportUsageError(`unknown command '${first}'`, "anyclaude --help", io);
}
