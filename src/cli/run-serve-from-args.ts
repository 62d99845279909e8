/**
 * `anyclaude serve [options]`: reads the options, loads the configuration, creates the logger
 * and hands both to runServe. A bad configuration stops here with its list of problems.
 */
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import { createLogger } from "../log/logger";
import { formatServeHelp } from "./cli-help";
import { type CliIo, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK } from "./cli-io";
import { CONFIG_OPTIONS, pickConfigFlags, readCommandOptions } from "./read-command-options";
import { runServe } from "./serve-command";

/**
 * Resolves with the exit status once the server is up (runServe returns then; the listening
 * socket keeps the process alive), or at once for help, usage and configuration errors.
 *
 * @example
 * process.exitCode = await runServeFromArgs(["--port", "9000"], io);
 */
export async function runServeFromArgs(args: string[], io: CliIo): Promise<number> {
  const values = readCommandOptions("serve", args, CONFIG_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatServeHelp());
    return EXIT_OK;
  }

  const warnings: string[] = [];
  let config: Config;
  try {
    const file = values.config as string | undefined;
    config = loadConfig({ file, env: io.env, flags: pickConfigFlags(values), onWarning: (message) => warnings.push(message) });
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
