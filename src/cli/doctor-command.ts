/**
 * `anyclaude doctor [options]`: checks what the binary carries, where it writes, and every
 * backend the configuration names, prints one table with a fix under each failed line, and
 * exits non-zero when something the configuration needs is broken. It reads the configuration
 * exactly as `serve` does (same file, environment and flags).
 */
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { type DataPaths, resolveDataPaths } from "../config/data-paths";
import { loadConfig } from "../config/load-config";
import { resolveConfigFilePath } from "../config/resolve-config-file-path";
import { formatDoctorHelp } from "./cli-help";
import { type CliIo, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK } from "./cli-io";
import { BACKENDS_CHECK } from "./doctor-backend-checks";
import { BINARY_CHECKS } from "./doctor-binary-checks";
import { type DoctorCheck, type DoctorRow, formatDoctorTable, runDoctorCheck } from "./doctor-check";
import { EMBEDDER_CHECK } from "./doctor-embedder-check";
import { CONFIG_OPTIONS, pickConfigFlags, readCommandOptions } from "./read-command-options";
import { COMMIT, VERSION } from "./version";

/** Run in this order; each one's rows print in it. */
const DOCTOR_CHECKS: readonly DoctorCheck[] = [...BINARY_CHECKS, EMBEDDER_CHECK, BACKENDS_CHECK];

/**
 * Exit status: 0 when every line is ok or a warning, 1 when a check failed, 78 (EX_CONFIG) when
 * the configuration itself is invalid (then nothing else is checked: every check depends on it).
 *
 * @example
 * process.exitCode = await runDoctorFromArgs(["--backend", "http://127.0.0.1:8080"], io);
 */
export async function runDoctorFromArgs(args: string[], io: CliIo): Promise<number> {
  const values = readCommandOptions("doctor", args, CONFIG_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatDoctorHelp());
    return EXIT_OK;
  }
  io.stdout(`anyclaude ${VERSION} (commit ${COMMIT}) doctor\n\n`);

  const file = values.config as string | undefined;
  const rows: DoctorRow[] = [];
  let loaded: { config: Config; paths: DataPaths };
  try {
    const config = loadConfig({ file, env: io.env, flags: pickConfigFlags(values) });
    loaded = { config, paths: resolveDataPaths(config.paths, io.env) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const configRow: DoctorRow = {
      check: "config",
      status: "fail",
      detail: error.message.split("\n")[0]!,
      fix: "fix the fields listed below; the other checks run once it is valid",
    };
    io.stdout(formatDoctorTable([configRow]));
    io.stdout(`\n${error.message}\n`);
    return EXIT_CONFIG;
  }
  const configFile = resolveConfigFilePath(file, io.env);
  rows.push({
    check: "config",
    status: "ok",
    detail: configFile ? `valid, from ${configFile}` : "valid (no config file: defaults, environment and flags)",
  });
  const context = { ...loaded, env: io.env };
  for (const check of DOCTOR_CHECKS) rows.push(...(await runDoctorCheck(check, context)));

  io.stdout(formatDoctorTable(rows));
  const failed = rows.filter((row) => row.status === "fail").length;
  const warned = rows.filter((row) => row.status === "warn").length;
  io.stdout(
    `\n${failed === 0 ? "No problems" : `${failed} ${failed === 1 ? "problem" : "problems"}`}${warned > 0 ? `, ${warned} ${warned === 1 ? "warning" : "warnings"}` : ""}.\n`,
  );
  return failed === 0 ? EXIT_OK : EXIT_FAILURE;
}
