/**
 * `anyclaude service install [--user]` and `anyclaude service uninstall [--user]`: write or
 * remove the systemd unit that runs `anyclaude serve`, and let systemd know, when systemd is
 * the running init; otherwise print the systemctl commands to run where it is.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "../config/config-error";
import { resolveDataPaths } from "../config/data-paths";
import { loadConfig } from "../config/load-config";
import { CONFIG_FLAGS } from "../config/read-config-flags";
import { formatServiceHelp } from "./cli-help";
import { type CliIo, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, reportUsageError } from "./cli-io";
import { CONFIG_OPTIONS, type OptionValues, pickConfigFlags, readCommandOptions } from "./read-command-options";
import { renderSystemdUnit, type SystemdUnitSpec } from "./render-systemd-unit";
import { SERVE_RUNTIME_ENVIRONMENT } from "./serve-runtime-environment";

const UNIT_NAME = "anyclaude.service";

const UNINSTALL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  user: { type: "boolean" },
  "no-systemctl": { type: "boolean" },
} as const;
const INSTALL_OPTIONS = { ...CONFIG_OPTIONS, ...UNINSTALL_OPTIONS } as const;

/** Where a system service keeps what a user keeps under XDG: systemd's own directories for the unit. */
const SYSTEM_XDG_ENVIRONMENT = { XDG_CONFIG_HOME: "/etc", XDG_DATA_HOME: "/var/lib", XDG_CACHE_HOME: "/var/cache" };
const XDG_DEFAULTS = [
  ["XDG_CONFIG_HOME", ".config"],
  ["XDG_DATA_HOME", ".local/share"],
  ["XDG_CACHE_HOME", ".cache"],
] as const;

/**
 * @example
 * process.exitCode = await runServiceFromArgs(["install", "--user"], io);
 */
export async function runServiceFromArgs(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === "--help" || action === "-h") {
    io.stdout(formatServiceHelp());
    return EXIT_OK;
  }
  if (action === undefined) return reportUsageError("service: missing action (install or uninstall)", "anyclaude service --help", io);
  if (action !== "install" && action !== "uninstall")
    return reportUsageError(`service: unknown action '${action}'`, "anyclaude service --help", io);
  const values = readCommandOptions(`service ${action}`, rest, action === "install" ? INSTALL_OPTIONS : UNINSTALL_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatServiceHelp());
    return EXIT_OK;
  }
  const scope = values.user ? "user" : "system";
  const unitPath = findUnitPath(scope, io.env);
  if (unitPath === undefined) {
    io.stderr("anyclaude: service --user: HOME is not set, so the user's systemd directory is unknown\n");
    return EXIT_FAILURE;
  }
  // sd_booted(3): systemd is the running init exactly when this directory exists.
  const skipSystemctl = values["no-systemctl"]
    ? "--no-systemctl given"
    : existsSync("/run/systemd/system")
      ? undefined
      : "systemd is not running on this machine";
  return action === "install"
    ? installService(scope, unitPath, values, skipSystemctl, io)
    : uninstallService(scope, unitPath, skipSystemctl, io);
}

function installService(
  scope: SystemdUnitSpec["scope"],
  unitPath: string,
  values: OptionValues,
  skipSystemctl: string | undefined,
  io: CliIo,
): number {
  // The unit sees only what it sets: read the configuration as the service will, without the
  // installing shell's ANYCLAUDE_* variables.
  const environment: Record<string, string> = scope === "system" ? { ...SYSTEM_XDG_ENVIRONMENT } : resolveUserXdgEnvironment(io.env);
  const serviceEnv = { HOME: scope === "user" ? io.env.HOME : undefined, ...environment };
  // Paths given here are made absolute: the service runs from /, not from this directory.
  const file = typeof values.config === "string" ? resolve(values.config) : undefined;
  const flags = pickConfigFlags(values);
  if (flags.dataDir) flags.dataDir = resolve(flags.dataDir);
  if (flags.cacheDir) flags.cacheDir = resolve(flags.cacheDir);
  if (flags.modelPath) flags.modelPath = resolve(flags.modelPath);
  const command = [...findRunningCommand(), "serve", ...(file ? ["--config", file] : [])];
  // Every configuration flag given here is the service's too.
  for (const flag of CONFIG_FLAGS) {
    const given = flags[flag.key];
    if (given === true) command.push(`--${flag.name}`);
    else
      for (const value of Array.isArray(given) ? given : given === undefined || given === false ? [] : [given])
        command.push(`--${flag.name}`, value);
  }

  let writablePaths: string[];
  try {
    const paths = resolveDataPaths(loadConfig({ file, env: serviceEnv, flags }).paths, serviceEnv);
    const owned = scope === "system" ? ["/var/lib/anyclaude", "/var/cache/anyclaude"] : [];
    writablePaths = [paths.dataDir, paths.cacheDir].filter((dir) => !owned.includes(dir));
    // ReadWritePaths= refuses to start the service when a listed directory is missing.
    for (const dir of writablePaths) mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`anyclaude: ${error.message}\n`);
    return EXIT_CONFIG;
  }

  // The runtime settings first: a drop-in (`systemctl edit anyclaude`) can still override them.
  const text = renderSystemdUnit({ scope, command, environment: { ...SERVE_RUNTIME_ENVIRONMENT, ...environment }, writablePaths });
  try {
    mkdirSync(dirname(unitPath), { recursive: true });
    writeFileSync(unitPath, text, { mode: 0o644 });
  } catch (error) {
    const denied = (error as NodeJS.ErrnoException).code === "EACCES";
    io.stderr(
      `anyclaude: cannot write ${unitPath}: ${denied ? "permission denied; run it as root (sudo), or install for yourself with --user" : (error as Error).message}\n`,
    );
    return EXIT_FAILURE;
  }
  io.stdout(`wrote ${unitPath}\n`);
  const status = runOrPrintSystemctl(scope, [["daemon-reload"], ["enable", "--now", UNIT_NAME]], skipSystemctl, io);
  io.stdout(
    scope === "system"
      ? "Configuration: /etc/anyclaude/config.yaml. Logs: journalctl -u anyclaude. Check it: anyclaude doctor\n"
      : "Logs: journalctl --user -u anyclaude. To keep it running after you log out: loginctl enable-linger\n",
  );
  return status;
}

function uninstallService(scope: SystemdUnitSpec["scope"], unitPath: string, skipSystemctl: string | undefined, io: CliIo): number {
  if (!existsSync(unitPath)) {
    io.stdout(`no unit at ${unitPath}; nothing to remove\n`);
    return EXIT_OK;
  }
  // Stop and disable while systemd still has the unit file; reload once it is gone.
  const stopped = runOrPrintSystemctl(scope, [["disable", "--now", UNIT_NAME]], skipSystemctl, io);
  if (stopped !== EXIT_OK) return stopped;
  try {
    rmSync(unitPath);
  } catch (error) {
    io.stderr(`anyclaude: cannot remove ${unitPath}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(`removed ${unitPath} (data and cache directories are left in place)\n`);
  return runOrPrintSystemctl(scope, [["daemon-reload"]], skipSystemctl, io);
}

/**
 * Runs each `systemctl` command in turn, stopping at the first failure; without a running
 * systemd (a container, a chroot, or --no-systemctl) prints them for the user to run instead.
 */
function runOrPrintSystemctl(scope: SystemdUnitSpec["scope"], commands: string[][], skipSystemctl: string | undefined, io: CliIo): number {
  const argv = commands.map((command) => ["systemctl", ...(scope === "user" ? ["--user"] : []), ...command]);
  if (skipSystemctl !== undefined) {
    io.stdout(`${skipSystemctl}; run where it is:\n${argv.map((command) => `  ${command.join(" ")}\n`).join("")}`);
    return EXIT_OK;
  }
  for (const command of argv) {
    const result = Bun.spawnSync(command, { stdout: "pipe", stderr: "pipe" });
    if (!result.success) {
      io.stderr(`anyclaude: ${command.join(" ")} failed: ${result.stderr.toString().trim() || `exit status ${result.exitCode}`}\n`);
      return EXIT_FAILURE;
    }
    io.stdout(`ran ${command.join(" ")}\n`);
  }
  return EXIT_OK;
}

function findUnitPath(scope: SystemdUnitSpec["scope"], env: Record<string, string | undefined>): string | undefined {
  if (scope === "system") return join("/etc/systemd/system", UNIT_NAME);
  const configHome =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : env.HOME ? join(env.HOME, ".config") : undefined;
  return configHome === undefined ? undefined : join(configHome, "systemd", "user", UNIT_NAME);
}

/**
 * A user unit names the XDG directories the installing shell resolves to, so the service finds
 * the same files whatever its manager's environment holds. Without HOME or a variable, that
 * variable is left out and resolveDataPaths reports what is missing.
 */
function resolveUserXdgEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, underHome] of XDG_DEFAULTS) {
    const value = env[name];
    if (value && isAbsolute(value)) resolved[name] = value;
    else if (env.HOME) resolved[name] = join(env.HOME, underHome);
  }
  return resolved;
}

/**
 * What starts this very program again: the compiled binary alone, or Bun and the entry script
 * when run from source. Inside a compiled binary the entry lives under /$bunfs.
 */
function findRunningCommand(): string[] {
  return Bun.main.startsWith("/$bunfs/") ? [process.execPath] : [process.execPath, resolve(Bun.main)];
}
