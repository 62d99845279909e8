/**
 * `anyclaude serve [options]`: reads the options, loads the configuration, creates the logger
 * and hands both to runServe. A bad configuration stops here with its list of problems.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import { CONFIG_FLAGS, type ConfigFlags } from "../config/read-config-flags";
import { createLogger } from "../log/logger";
import { type CliIo, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, describeParseArgsError, isParseArgsError, reportUsageError } from "./cli-io";
import { formatServeHelp } from "./cli-help";
import { runServe } from "./serve-command";

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

const SERVE_OPTIONS: Record<string, OptionSpec> = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(CONFIG_FLAGS.map((flag) => [flag.name, { type: "string", multiple: flag.multiple }])),
};

/**
 * Resolves with the exit status once the server is up (runServe returns then; the listening
 * socket keeps the process alive), or at once for help, usage and configuration errors.
 *
 * @example
 * process.exitCode = await runServeFromArgs(["--port", "9000"], io);
 */
export async function runServeFromArgs(args: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args, options: SERVE_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    return reportUsageError(`serve: ${describeParseArgsError(error)}`, "anyclaude serve --help", io);
  }
  if (values.help) {
    io.stdout(formatServeHelp());
    return EXIT_OK;
  }

  const flags: Record<string, unknown> = {};
  for (const flag of CONFIG_FLAGS) flags[flag.key] = values[flag.name];
  const warnings: string[] = [];
  let config: Config;
  try {
    const file = values.config as string | undefined;
    config = loadConfig({ file, env: io.env, flags: flags as ConfigFlags, onWarning: (message) => warnings.push(message) });
  } catch (error) {
    return reportConfigError(error, io);
  }
  const logger = createLogger({
    level: config.logging.level,
    format: config.logging.format,
    color: io.stderrIsTerminal && !io.env.NO_COLOR,
  });
  for (const warning of warnings) logger.warn(warning);
  try {
    await runServe(config, logger);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ConfigError) return reportConfigError(error, io);
    logger.error("anyclaude serve failed", { error });
    return EXIT_FAILURE;
  }
}

function reportConfigError(error: unknown, io: CliIo): number {
  if (!(error instanceof ConfigError)) throw error;
  // The list of problems is the whole message; a stack trace would only bury it.
  io.stderr(`anyclaude: ${error.message}\n`);
  return EXIT_CONFIG;
}
