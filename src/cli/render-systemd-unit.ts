/**
 * The text of anyclaude's systemd unit, hardened: the proxy only needs the network, its
 * configuration (read) and its data and cache directories (write). A pure function of the
 * install's choices, so the text can be checked with `systemd-analyze verify`.
 */

export interface SystemdUnitSpec {
  /** `system` installs under /etc/systemd/system; `user` under the user's systemd/user dir. */
  scope: "system" | "user";
  /** Absolute path of the program and its arguments, `serve` included. */
  command: readonly string[];
  environment: Readonly<Record<string, string>>;
  /** Directories the service writes besides the StateDirectory/CacheDirectory of a system unit. */
  writablePaths: readonly string[];
}

/**
 * @example
 * renderSystemdUnit({ scope: "system", command: ["/usr/local/bin/anyclaude", "serve"], environment: {}, writablePaths: [] });
 * // "[Unit]\nDescription=anyclaude: Claude Code on local models\n..."
 */
export function renderSystemdUnit(spec: SystemdUnitSpec): string {
  const system = spec.scope === "system";
  const unit = [
    "[Unit]",
    "Description=anyclaude: Claude Code on local models (Anthropic Messages proxy)",
    // A user manager has no network-online.target; a system service wants the backends' network up.
    ...(system ? ["After=network-online.target", "Wants=network-online.target"] : []),
  ];
  const service = [
    "[Service]",
    // `exec`: systemctl start fails when the binary cannot be executed, instead of later.
    "Type=exec",
    `ExecStart=${spec.command.map((argument, index) => quoteExecArgument(argument, index === 0)).join(" ")}`,
    ...Object.entries(spec.environment).map(([name, value]) => `Environment=${quoteUnitValue(`${name}=${value}`)}`),
    "Restart=on-failure",
    "RestartSec=2",
    // serve drains in-flight streams for up to 8 s on SIGTERM; leave it room before SIGKILL.
    "KillSignal=SIGTERM",
    "TimeoutStopSec=15",
    "",
    // System units own /var/lib/anyclaude, /var/cache/anyclaude and /etc/anyclaude; the XDG
    // variables point anyclaude's defaults at exactly those.
    ...(system
      ? ["StateDirectory=anyclaude", "CacheDirectory=anyclaude", "ConfigurationDirectory=anyclaude", "ConfigurationDirectoryMode=0750"]
      : []),
    ...(spec.writablePaths.length > 0 ? [`ReadWritePaths=${spec.writablePaths.map(quoteUnitValue).join(" ")}`] : []),
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=read-only",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "RestrictNamespaces=yes",
    "RestrictRealtime=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "SystemCallArchitectures=native",
    "CapabilityBoundingSet=",
    "UMask=0077",
    // Not MemoryDenyWriteExecute: JavaScriptCore's JIT needs writable executable memory.
  ];
  const install = ["[Install]", `WantedBy=${system ? "multi-user.target" : "default.target"}`];
  return `${[unit, service, install].map((section) => section.join("\n")).join("\n\n")}\n`;
}

/**
 * ExecStart expands `%x` specifiers everywhere and `$NAME` in the arguments (not in the program
 * path, as systemd-analyze shows): double those signs, and quote an argument that holds a
 * space, a quote or a backslash.
 */
function quoteExecArgument(argument: string, isProgram: boolean): string {
  const escaped = isProgram ? argument.replace(/%/g, "%%") : argument.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  return /[\s"'\\;]/.test(escaped) || escaped === "" ? `"${escaped.replace(/["\\]/g, "\\$&")}"` : escaped;
}

/** Environment= and ReadWritePaths= take specifiers too, and double quotes around a value with spaces. */
function quoteUnitValue(value: string): string {
  const escaped = value.replace(/%/g, "%%");
  return /[\s"\\]/.test(escaped) ? `"${escaped.replace(/["\\]/g, "\\$&")}"` : escaped;
}
