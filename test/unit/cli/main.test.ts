import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { version as packageVersion } from "../../../package.json" with { type: "json" };

const MAIN = join(import.meta.dir, "../../../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "anyclaude-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real entry point; HOME points at an empty directory so no user config file is read. */
async function runAnyclaude(args: string[], env: Record<string, string> = {}) {
  const child = Bun.spawn([process.execPath, MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, NO_COLOR: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, status };
}

describe("anyclaude", () => {
  test.each([[[]], [["--help"]], [["-h"]], [["help"]]])("%p prints the main help", async (args) => {
    const { stdout, stderr, status } = await runAnyclaude(args);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage:\n  anyclaude <command> [options]");
    expect(stdout).toContain("serve");
  });

  test.each([[["serve", "--help"]], [["serve", "-h"]], [["help", "serve"]]])("%p prints serve's help with every flag", async (args) => {
    const { stdout, status } = await runAnyclaude(args);
    expect(status).toBe(0);
    expect(stdout).toStartWith("Usage: anyclaude serve [options]");
    for (const flag of ["--config FILE", "--host HOST", "--port PORT", "--backend URL", "--log-level LEVEL", "--log-format FORMAT"]) {
      expect(stdout).toContain(flag);
    }
  });

  test.each([[["--version"]], [["-v"]]])("%p prints the version from package.json and the dev commit", async (args) => {
    const { stdout, status } = await runAnyclaude(args);
    expect(status).toBe(0);
    expect(stdout).toBe(`anyclaude ${packageVersion} (commit dev)\n`);
  });

  test.each([
    [["serve", "--prot", "1"], "anyclaude: serve: unknown option '--prot'\nRun 'anyclaude serve --help' for usage.\n"],
    [["serve", "--port"], "anyclaude: serve: option '--port <value>' argument missing\nRun 'anyclaude serve --help' for usage.\n"],
    [["serve", "extra"], "anyclaude: serve: unexpected argument 'extra'"],
    [["--port", "1", "serve"], "anyclaude: unknown option '--port' (command options go after the command)\n"],
    [["frob"], "anyclaude: unknown command 'frob'\nRun 'anyclaude --help' for usage.\n"],
    [["help", "frob"], "anyclaude: no help for unknown command 'frob'"],
  ])("%p is a usage error: message and status 2", async (args, message) => {
    const { stdout, stderr, status } = await runAnyclaude(args);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toStartWith(message);
  });

  test("an invalid config file stops serve with status 78, every bad field listed, no stack trace", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "server:\n  port: 70000\n  prot: 1\nbackends:\n  - url: localhost:8080\n");
    const { stdout, stderr, status } = await runAnyclaude(["serve", "--config", file, "--log-level", "loud"], {
      ANYCLAUDE_LOG_FORMAT: "xml",
    });
    expect(status).toBe(78);
    expect(stdout).toBe("");
    expect(stderr.split("\n")).toEqual([
      "anyclaude: invalid configuration (5 problems):",
      `  - server.prot: unknown field; known fields here: host, port, maxBodyBytes, pingIntervalMs, apiKey, apiKeyEnv, apiKeyFile, keys, keyLimits, allowUnauthenticated, maxInFlight, idleTimeoutS, bodyTimeoutMs, clientStallMs, allowedHosts, allowedOrigins (${file} line 3)`,
      `  - server.port: expected integer from 0 to 65535, found 70000 (${file} line 2)`,
      `  - backends[0].url: expected string matching ^https?://, found "localhost:8080" (${file} line 5)`,
      '  - logging.level: expected one of debug, info, warn, error, found "loud" (flag --log-level)',
      '  - logging.format: expected one of text, json, found "xml" (env ANYCLAUDE_LOG_FORMAT)',
      "",
    ]);
  });

  test("serve logs a warning for an unknown ANYCLAUDE_* variable before starting", async () => {
    const child = Bun.spawn([process.execPath, MAIN, "serve", "--port", "0", "--backend", "http://127.0.0.1:9"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, NO_COLOR: "1", ANYCLAUDE_PROT: "1" },
      stdout: "ignore",
      stderr: "pipe",
    });
    try {
      const firstLine = await readFirstLine(child.stderr);
      expect(firstLine).toBe(
        "warn ignored unknown environment variable ANYCLAUDE_PROT; the ANYCLAUDE_* settings are listed in docs/configuration.md",
      );
    } finally {
      child.kill();
      await child.exited;
    }
  });

  test("an unparsable config file stops serve with status 78 and the line", async () => {
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "server:\n  port: 1\n  port: 2\n");
    const { stderr, status } = await runAnyclaude(["serve", "-c", file]);
    expect(status).toBe(78);
    expect(stderr).toBe(`anyclaude: invalid configuration (1 problem):\n  - ${file}: line 3, column 3: Map keys must be unique\n`);
  });
});

async function readFirstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    const newline = text.indexOf("\n");
    if (newline >= 0) return text.slice(0, newline);
  }
  return text;
}
