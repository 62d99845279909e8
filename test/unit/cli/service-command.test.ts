/**
 * `anyclaude service` run as a user would, from source: a --user unit written into a temporary
 * HOME, never the machine's own systemd (--no-systemctl keeps systemctl out of it).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SERVE_RUNTIME_ENVIRONMENT } from "../../../src/cli/serve-runtime-environment";

const MAIN = resolve(import.meta.dir, "../../../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "anyclaude-service-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runAnyclaude(args: string[], env: Record<string, string>) {
  const child = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, status };
}

describe("anyclaude service", () => {
  test("install --user writes the unit, creates the directories it may write, and prints the systemctl commands", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const { stdout, stderr, status } = await runAnyclaude(
      ["service", "install", "--user", "--no-systemctl", "--backend", "http://127.0.0.1:8080", "--cache-dir", "big cache"],
      { HOME: home, ANYCLAUDE_PORT: "9999" },
    );
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const unitPath = join(home, ".config/systemd/user/anyclaude.service");
    expect(stdout).toStartWith(
      `wrote ${unitPath}\n--no-systemctl given; run where it is:\n  systemctl --user daemon-reload\n  systemctl --user enable --now anyclaude.service\n`,
    );

    const lines = readFileSync(unitPath, "utf8").split("\n");
    // Started from source, the service runs Bun on the entry script; relative paths became absolute.
    expect(lines).toContain(`ExecStart=${process.execPath} ${MAIN} serve --backend http://127.0.0.1:8080 --cache-dir "${dir}/big cache"`);
    expect(lines).toContain(`ReadWritePaths=${home}/.local/share/anyclaude "${dir}/big cache"`);
    expect(lines).toContain(`Environment=XDG_CONFIG_HOME=${home}/.config`);
    // serve's runtime settings come from the unit's environment, before anything a drop-in adds.
    for (const [name, value] of Object.entries(SERVE_RUNTIME_ENVIRONMENT)) expect(lines).toContain(`Environment=${name}=${value}`);
    // The installing shell's ANYCLAUDE_* variables are not the service's.
    expect(lines.join("\n")).not.toContain("9999");
    expect(statSync(`${home}/.local/share/anyclaude`).isDirectory()).toBe(true);
    expect(statSync(`${dir}/big cache`).isDirectory()).toBe(true);
  });

  test("uninstall --user removes the unit and leaves the data", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    await runAnyclaude(["service", "install", "--user", "--no-systemctl"], { HOME: home });
    const unitPath = join(home, ".config/systemd/user/anyclaude.service");
    expect(existsSync(unitPath)).toBe(true);

    const { stdout, status } = await runAnyclaude(["service", "uninstall", "--user", "--no-systemctl"], { HOME: home });
    expect(status).toBe(0);
    expect(stdout).toContain("  systemctl --user disable --now anyclaude.service\n");
    expect(stdout).toContain(`removed ${unitPath} (data and cache directories are left in place)\n`);
    expect(existsSync(unitPath)).toBe(false);
    expect(existsSync(`${home}/.local/share/anyclaude`)).toBe(true);

    const again = await runAnyclaude(["service", "uninstall", "--user", "--no-systemctl"], { HOME: home });
    expect(again).toEqual({ stdout: `no unit at ${unitPath}; nothing to remove\n`, stderr: "", status: 0 });
  });

  test.skipIf(existsSync("/run/systemd/system"))("without systemd as init it prints the commands instead of running them", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const { stdout, status } = await runAnyclaude(["service", "install", "--user"], { HOME: home });
    expect(status).toBe(0);
    expect(stdout).toContain("systemd is not running on this machine; run where it is:\n  systemctl --user daemon-reload\n");
  });

  test("an invalid configuration stops install with status 78 and writes nothing", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const { stderr, status } = await runAnyclaude(["service", "install", "--user", "--no-systemctl", "--port", "http"], { HOME: home });
    expect(status).toBe(78);
    expect(stderr).toContain("server.port: expected integer");
    expect(existsSync(join(home, ".config/systemd/user/anyclaude.service"))).toBe(false);
  });

  test.each([
    [["service"], "anyclaude: service: missing action (install or uninstall)\n"],
    [["service", "start"], "anyclaude: service: unknown action 'start'\n"],
    [["service", "install", "--usr"], "anyclaude: service install: unknown option '--usr'\n"],
    [["service", "uninstall", "--port", "1"], "anyclaude: service uninstall: unknown option '--port'\n"],
  ])("%p is a usage error", async (args, message) => {
    const { stderr, status } = await runAnyclaude(args, { HOME: dir });
    expect(status).toBe(2);
    expect(stderr).toStartWith(message);
  });
});
