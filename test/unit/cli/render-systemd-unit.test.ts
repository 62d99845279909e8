/**
 * The unit text is checked by systemd itself: `systemd-analyze verify` (Debian's systemd 252
 * here) parses it as the manager would, reports unknown keys and bad values on stderr, and
 * fails when ExecStart is not executable. Without systemd-analyze these tests are skipped and
 * say so; the text tests below still run.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSystemdUnit, type SystemdUnitSpec } from "../../../src/cli/render-systemd-unit";

const dir = mkdtempSync(join(tmpdir(), "anyclaude unit "));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SYSTEMD_ANALYZE = Bun.which("systemd-analyze");
if (!SYSTEMD_ANALYZE) console.warn("systemd-analyze not found: the unit is only checked as text");

// A directory with a space, and a program name with % and $, which systemd would expand.
const binary = join(dir, "bin dir", "any%claude$x");
mkdirSync(join(dir, "bin dir"));
copyFileSync("/bin/true", binary);
chmodSync(binary, 0o755);

const SYSTEM_UNIT: SystemdUnitSpec = {
  scope: "system",
  command: [binary, "serve", "--config", "/etc/anyclaude/$HOME 100%.yaml"],
  environment: { XDG_CONFIG_HOME: "/etc", XDG_DATA_HOME: "/var/lib", XDG_CACHE_HOME: "/var/cache" },
  writablePaths: [],
};
const USER_UNIT: SystemdUnitSpec = {
  scope: "user",
  command: [binary, "serve", "--backend", "http://127.0.0.1:8080"],
  environment: { XDG_DATA_HOME: "/home/me/.local/share", XDG_CACHE_HOME: "/home/me/my cache" },
  writablePaths: ["/home/me/.local/share/anyclaude", "/home/me/my cache/anyclaude"],
};

/** Runs systemd-analyze verify on the text in a file of its own; a user unit needs a runtime dir. */
async function verifyUnit(text: string, scope: SystemdUnitSpec["scope"]) {
  const unitDir = mkdtempSync(join(dir, "verify-"));
  const path = join(unitDir, "anyclaude.service");
  writeFileSync(path, text);
  const runtime = join(unitDir, "runtime");
  mkdirSync(runtime, { mode: 0o700 });
  const child = Bun.spawn([SYSTEMD_ANALYZE!, ...(scope === "user" ? ["--user"] : []), "verify", path], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", XDG_RUNTIME_DIR: runtime, HOME: unitDir, SYSTEMD_LOG_COLOR: "0" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status, output: `${stdout}${stderr}` };
}

describe.skipIf(!SYSTEMD_ANALYZE)("systemd-analyze verify", () => {
  test.each([
    ["system", SYSTEM_UNIT],
    ["user", USER_UNIT],
  ] as const)("accepts the %s unit without a warning", async (scope, spec) => {
    expect(await verifyUnit(renderSystemdUnit(spec), scope)).toEqual({ status: 0, output: "" });
  });

  test("reports what it is given wrong, so the tests above can fail", async () => {
    const broken = renderSystemdUnit({ ...SYSTEM_UNIT, command: [join(dir, "missing"), "serve"] }).replace(
      "PrivateTmp=yes",
      "PrivateTmp=yes\nProtectEverything=yes",
    );
    const { status, output } = await verifyUnit(broken, "system");
    expect(status).not.toBe(0);
    expect(output).toContain("Unknown key 'ProtectEverything'");
    expect(output).toContain("is not executable");
  });
});

describe("renderSystemdUnit", () => {
  test("a system unit runs with systemd's own state, cache and config directories, after the network", () => {
    const lines = renderSystemdUnit(SYSTEM_UNIT).split("\n");
    for (const line of [
      "After=network-online.target",
      "StateDirectory=anyclaude",
      "CacheDirectory=anyclaude",
      "ConfigurationDirectory=anyclaude",
      "WantedBy=multi-user.target",
    ]) {
      expect(lines).toContain(line);
    }
    expect(lines).toContain("Environment=XDG_DATA_HOME=/var/lib");
    expect(lines.some((line) => line.startsWith("ReadWritePaths="))).toBe(false);
  });

  test("a user unit writes only its data and cache directories, and starts with the user's session", () => {
    const lines = renderSystemdUnit(USER_UNIT).split("\n");
    expect(lines).toContain('ReadWritePaths=/home/me/.local/share/anyclaude "/home/me/my cache/anyclaude"');
    expect(lines).toContain('Environment="XDG_CACHE_HOME=/home/me/my cache"');
    expect(lines).toContain("WantedBy=default.target");
    expect(lines.some((line) => line.startsWith("StateDirectory=") || line.startsWith("After="))).toBe(false);
  });

  test.each([
    ["system", SYSTEM_UNIT],
    ["user", USER_UNIT],
  ] as const)("the %s unit is hardened and restarts on failure", (_scope, spec) => {
    const lines = renderSystemdUnit(spec).split("\n");
    for (const line of [
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=read-only",
      "PrivateTmp=yes",
      "Restart=on-failure",
      "TimeoutStopSec=15",
    ]) {
      expect(lines).toContain(line);
    }
    // JavaScriptCore's JIT needs writable executable memory: this setting would kill the service.
    expect(lines.some((line) => line.startsWith("MemoryDenyWriteExecute"))).toBe(false);
  });

  test("ExecStart quotes spaces and doubles the % and (past the program) the $ systemd would expand", () => {
    const execStart = renderSystemdUnit(SYSTEM_UNIT)
      .split("\n")
      .find((line) => line.startsWith("ExecStart="));
    expect(execStart).toBe(`ExecStart="${dir}/bin dir/any%%claude$x" serve --config "/etc/anyclaude/$$HOME 100%%.yaml"`);
  });
});
