import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigIssue } from "../../../src/config/config-error";
import { type ConfigSources, loadConfig } from "../../../src/config/load-config";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-config-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError loadConfig throws; fails the test when it throws anything else or nothing. */
function loadConfigError(sources: ConfigSources): ConfigError {
  try {
    loadConfig(sources);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted an invalid configuration");
}

function issueAt(error: ConfigError, path: string): ConfigIssue {
  const issue = error.issues.find((candidate) => candidate.path === path);
  if (!issue) throw new Error(`no issue at ${path}; issues: ${error.message}`);
  return issue;
}

describe("loadConfig lists every bad field", () => {
  const file = writeFile(
    "bad.yaml",
    `server:
  port: 70000
  prot: 1
backends:
  - url: localhost:8080
    kind: llama
  - kind: ollama
    timeouts:
      idleMs: -5
logging:
  level: loud
`,
  );

  test("from one file, with path, expectation, finding and line", () => {
    const error = loadConfigError({ file, env: {}, flags: {} });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      [
        "backends[0].kind",
        "backends[0].url",
        "backends[1].timeouts.idleMs",
        "backends[1].url",
        "logging.level",
        "server.port",
        "server.prot",
      ].sort(),
    );
    expect(issueAt(error, "server.port")).toEqual({
      path: "server.port",
      message: "expected integer from 0 to 65535, found 70000",
      source: `${file} line 2`,
    });
    expect(issueAt(error, "server.prot").message).toContain("unknown field");
    expect(issueAt(error, "server.prot").message).toContain("port");
    expect(issueAt(error, "backends[0].url").message).toBe('expected string matching ^https?://, found "localhost:8080"');
    expect(issueAt(error, "backends[0].kind").message).toContain("one of auto, llamacpp, ollama");
    expect(issueAt(error, "backends[0].kind").source).toBe(`${file} line 6`);
    // A missing field points at the line of the item that lacks it.
    expect(issueAt(error, "backends[1].url")).toMatchObject({
      message: "missing; expected string matching ^https?://",
      source: `${file} line 7`,
    });
    expect(issueAt(error, "backends[1].timeouts.idleMs").message).toBe("expected integer >= 1, found -5");
    expect(issueAt(error, "logging.level").message).toBe('expected one of debug, info, warn, error, found "loud"');
    for (const path of ["server.port", "server.prot", "backends[0].url", "logging.level"]) expect(error.message).toContain(path);
  });

  test("from every source at once, each naming its source", () => {
    const error = loadConfigError({
      file,
      env: { ANYCLAUDE_MAX_BODY_BYTES: "8.5", ANYCLAUDE_SERVER__PROT: "1" },
      flags: { logFormat: "xml", backend: ["ftp://nope"] },
    });
    expect(issueAt(error, "server.maxBodyBytes")).toEqual({
      path: "server.maxBodyBytes",
      message: 'expected integer >= 1024, found "8.5"',
      source: "env ANYCLAUDE_MAX_BODY_BYTES",
    });
    expect(issueAt(error, "logging.format")).toMatchObject({ source: "flag --log-format" });
    expect(issueAt(error, "backends[0].url")).toMatchObject({
      message: expect.stringContaining('found "ftp://nope"'),
      source: "flag --backend",
    });
    expect(error.issues.find((issue) => issue.source === "env ANYCLAUDE_SERVER__PROT")?.message).toStartWith("no field PROT in server");
    // The flags replaced the file's backends, so the file's backend problems are gone.
    expect(error.issues.some((issue) => issue.path === "backends[1].url")).toBe(false);
    expect(issueAt(error, "server.port").source).toBe(`${file} line 2`);
  });

  test("unknown ANYCLAUDE_* names without __ are warnings, not errors", () => {
    const warnings: string[] = [];
    const config = loadConfig({
      env: { ANYCLAUDE_PROT: "1", ANYCLAUDE_PORT: "9000" },
      flags: {},
      onWarning: (message) => warnings.push(message),
    });
    expect(config.server.port).toBe(9000);
    expect(warnings).toEqual([
      "ignored unknown environment variable ANYCLAUDE_PROT; the ANYCLAUDE_* settings are listed in docs/configuration.md",
    ]);
  });

  test("the message has one line per issue", () => {
    const error = loadConfigError({ env: { ANYCLAUDE_PORT: "x", ANYCLAUDE_LOG_LEVEL: "loud" }, flags: {} });
    expect(error.message.split("\n")).toEqual([
      "invalid configuration (2 problems):",
      '  - server.port: expected integer from 0 to 65535, found "x" (env ANYCLAUDE_PORT)',
      '  - logging.level: expected one of debug, info, warn, error, found "loud" (env ANYCLAUDE_LOG_LEVEL)',
    ]);
  });

  test("a secret's value is never shown", () => {
    const error = loadConfigError({
      file: writeFile("secret.yaml", "backends:\n  - url: http://a:1\n    apiKey: 918273645\n"),
      env: {},
      flags: {},
    });
    expect(issueAt(error, "backends[0].apiKey").message).toBe("expected string, found a number (value hidden)");
    expect(error.message).not.toContain("918273645");
  });

  test("URLs that match the pattern but do not parse, and ids used twice", () => {
    const error = loadConfigError({
      file: writeFile("semantic.yaml", "backends:\n  - url: http://[bad\n    id: a\n  - url: http://ok:1\n    id: a\n"),
      env: {},
      flags: {},
    });
    expect(issueAt(error, "backends[0].url").message).toBe('expected a URL, found "http://[bad"');
    expect(issueAt(error, "backends[1].id").message).toBe('"a" is already the id of backends[0]');
  });

  test("an MCP server with neither or both of command and url", () => {
    const error = loadConfigError({
      file: writeFile(
        "mcp.yaml",
        "mcp:\n  servers:\n    none: { args: [x] }\n    both: { command: a, url: http://b:1/mcp }\n    good: { command: a }\n",
      ),
      env: {},
      flags: {},
    });
    const needs = "needs either `command` (a stdio server) or `url` (a streamable-HTTP server), not both";
    expect(error.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ["mcp.servers.none", needs],
      ["mcp.servers.both", needs],
    ]);
  });
});

describe("loadConfig file problems", () => {
  test("an unparsable YAML file names the file and the line", () => {
    const file = writeFile("broken.yaml", "server:\n  port: 1\n  port: 2\n");
    const error = loadConfigError({ file, env: {}, flags: {} });
    expect(error.issues).toEqual([{ path: "", message: "line 3, column 3: Map keys must be unique", source: file }]);
    expect(error.message).toContain(`${file}: line 3`);
  });

  test("a .json file is held to JSON: bare words are errors, with their line", () => {
    const file = writeFile("broken.json", '{\n  "server": {\n    "host": localhost\n  }\n}\n');
    const error = loadConfigError({ file, env: {}, flags: {} });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.source).toBe(file);
    expect(error.issues[0]!.message).toStartWith("line 3, column 13:");
  });

  test("a missing named file is an error; problems elsewhere are still listed", () => {
    const file = join(dir, "absent.yaml");
    const error = loadConfigError({ file, env: { ANYCLAUDE_PORT: "no" }, flags: {} });
    expect(error.issues).toEqual([
      { path: "", message: "cannot read the config file: no such file", source: file },
      { path: "server.port", message: 'expected integer from 0 to 65535, found "no"', source: "env ANYCLAUDE_PORT" },
    ]);
  });

  test("a file whose top level is not a mapping", () => {
    const file = writeFile("list.yaml", "- http://a:1\n");
    expect(loadConfigError({ file, env: {}, flags: {} }).issues).toEqual([
      { path: "", message: "expected a mapping of settings at the top level, found a list", source: file },
    ]);
  });
});
