/**
 * The command-line options shared by the commands that read the configuration (`doctor`,
 * `service install`): `--config FILE` and the configuration flags, parsed strictly, so a typo is
 * a usage error rather than a silently ignored setting.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import { CONFIG_FLAGS, type ConfigFlags } from "../config/read-config-flags";
import { type CliIo, describeParseArgsError, EXIT_CONFIG, isParseArgsError, reportUsageError } from "./cli-io";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** `--config FILE`, `--help` and every entry of CONFIG_FLAGS. */
export const CONFIG_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(
    CONFIG_FLAGS.map((flag) => [flag.name, { type: flag.valueName === undefined ? "boolean" : "string", multiple: flag.multiple }]),
  ),
};

/**
 * The parsed values, or the usage status (2) after printing what was wrong and where the
 * command's help is.
 *
 * @example
 * const values = readCommandOptions("doctor", args, CONFIG_OPTIONS, io);
 * if (typeof values === "number") return values;
 */
export function readCommandOptions(
  command: string,
  args: string[],
  options: Readonly<Record<string, OptionSpec>>,
  io: CliIo,
): OptionValues | number {
  try {
    return parseArgs({ args, options: { ...options }, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    return reportUsageError(`${command}: ${describeParseArgsError(error)}`, `anyclaude ${command} --help`, io);
  }
}

/**
 * The configuration flags among parsed values, in the shape loadConfig takes.
 *
 * @example
 * loadConfig({ file: values.config as string | undefined, env: io.env, flags: pickConfigFlags(values) });
 */
export function pickConfigFlags(values: OptionValues): ConfigFlags {
  const flags: Record<string, unknown> = {};
  for (const flag of CONFIG_FLAGS) flags[flag.key] = values[flag.name];
  return flags as ConfigFlags;
}

/**
 * The configuration from `--config`, the environment and the flags, or EX_CONFIG (78) after
 * printing every problem.
 *
 * @example
 * const config = loadCommandConfig(values, io);
 * if (typeof config === "number") return config;
 */
export function loadCommandConfig(values: OptionValues, io: CliIo): Config | number {
  try {
    return loadConfig({ file: values.config as string | undefined, env: io.env, flags: pickConfigFlags(values) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`anyclaude: ${error.message}\n`);
    return EXIT_CONFIG;
  }
}
