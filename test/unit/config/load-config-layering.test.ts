import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load-config";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-layering-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const fileYaml = writeFile(
  "layers.yaml",
  `server:
  host: 10.0.0.1
  port: 1001
logging:
  level: debug
backends:
  - url: http://file-a:8080
  - url: http://file-b:11434
`,
);

describe("loadConfig layering", () => {
  test("with no source, every field has its schema default", () => {
    const config = loadConfig({ env: {}, flags: {} });
    expect(config.server).toEqual({
      host: "127.0.0.1",
      port: 8082,
      maxBodyBytes: 32 * 1024 * 1024,
      pingIntervalMs: 10_000,
      keys: {},
      keyLimits: {},
      allowUnauthenticated: false,
      maxInFlight: 256,
      idleTimeoutS: 60,
      bodyTimeoutMs: 60_000,
      clientStallMs: 300_000,
      allowedHosts: [],
      allowedOrigins: [],
    });
    expect(config.backends).toEqual([]);
    expect(config.logging).toEqual({ level: "info", format: "text" });
    expect(config.claudeCode.stripBillingHeader).toBe(true);
    expect(config.discovery.ports).toEqual([11434, 8080, 1234, 8000]);
  });

  test.each([
    { name: "file over defaults", env: {}, flags: {}, port: 1001 },
    { name: "env over file", env: { ANYCLAUDE_PORT: "1002" }, flags: {}, port: 1002 },
    { name: "flags over env", env: { ANYCLAUDE_PORT: "1002" }, flags: { port: "1003" }, port: 1003 },
  ])("$name", ({ env, flags, port }) => {
    const config = loadConfig({ file: fileYaml, env, flags });
    expect(config.server.port).toBe(port);
    // Fields the later layers do not mention keep the earlier layer's value.
    expect(config.server.host).toBe("10.0.0.1");
    expect(config.server.maxBodyBytes).toBe(32 * 1024 * 1024);
    expect(config.logging.level).toBe("debug");
  });

  test("each layer contributes the fields it sets", () => {
    const config = loadConfig({
      file: fileYaml,
      env: { ANYCLAUDE_LOG_FORMAT: "json", ANYCLAUDE_MODEL_OPUS: "big-model" },
      flags: { logLevel: "warn" },
    });
    expect(config.logging).toEqual({ level: "warn", format: "json" });
    expect(config.models.opus).toBe("big-model");
    expect(config.server.port).toBe(1001);
  });

  test("a later layer replaces the backends list whole", () => {
    const fromFile = loadConfig({ file: fileYaml, env: {}, flags: {} });
    expect(fromFile.backends.map((backend) => backend.url)).toEqual(["http://file-a:8080", "http://file-b:11434"]);

    const fromEnv = loadConfig({ file: fileYaml, env: { ANYCLAUDE_BACKENDS: "http://env:1" }, flags: {} });
    expect(fromEnv.backends.map((backend) => backend.url)).toEqual(["http://env:1"]);

    const fromFlags = loadConfig({
      file: fileYaml,
      env: { ANYCLAUDE_BACKENDS: "http://env:1" },
      flags: { backend: ["http://flag-a:2", "http://flag-b:3"] },
    });
    expect(fromFlags.backends.map((backend) => backend.url)).toEqual(["http://flag-a:2", "http://flag-b:3"]);
  });

  test("backends from env or flags get the per-backend defaults", () => {
    const config = loadConfig({ env: {}, flags: { backend: ["http://127.0.0.1:8080"] } });
    expect(config.backends[0]).toMatchObject({ url: "http://127.0.0.1:8080", kind: "auto", mode: "auto", thinking: "auto" });
    expect(config.backends[0]!.timeouts.firstByteMs).toBe(600_000);
  });

  test("an empty --backend list leaves the configured backends alone", () => {
    const config = loadConfig({ file: fileYaml, env: {}, flags: { backend: [] } });
    expect(config.backends).toHaveLength(2);
  });
});

describe("loadConfig file formats", () => {
  const settings = { server: { port: 4321 }, models: { sonnet: "qwen3-coder", aliases: { "claude-x": "small" } } };

  test.each([
    ["YAML (.yaml)", "same.yaml", "server:\n  port: 4321\nmodels:\n  sonnet: qwen3-coder\n  aliases:\n    claude-x: small\n"],
    ["YAML (.yml)", "same.yml", "server: { port: 4321 }\nmodels: { sonnet: qwen3-coder, aliases: { claude-x: small } }\n"],
    ["JSON (.json)", "same.json", JSON.stringify(settings, null, 2)],
    ["JSON by content (.conf)", "same.conf", JSON.stringify(settings)],
  ])("%s", (_name, fileName, text) => {
    const config = loadConfig({ file: writeFile(fileName, text), env: {}, flags: {} });
    expect(config.server.port).toBe(4321);
    expect(config.models.sonnet).toBe("qwen3-coder");
    expect(config.models.aliases).toEqual({ "claude-x": "small" });
  });

  test("an empty file means defaults", () => {
    expect(loadConfig({ file: writeFile("empty.yaml", "# nothing yet\n"), env: {}, flags: {} }).server.port).toBe(8082);
  });

  test("a key left empty counts as unset, in sections and inside backends", () => {
    const path = writeFile("nulls.yaml", "models:\nserver:\n  port:\nbackends:\n  - url: http://a:1\n    id:\n");
    const config = loadConfig({ file: path, env: {}, flags: {} });
    expect(config.models).toEqual({ aliases: {} });
    expect(config.server.port).toBe(8082);
    expect(config.backends[0]!.id).toBeUndefined();
  });
});

describe("loadConfig file location", () => {
  const xdg = join(dir, "xdg");
  const home = join(dir, "home");
  mkdirSync(join(xdg, "anyclaude"), { recursive: true });
  mkdirSync(join(home, ".config", "anyclaude"), { recursive: true });
  writeFileSync(join(xdg, "anyclaude", "config.yaml"), "server:\n  port: 2001\n");
  writeFileSync(join(home, ".config", "anyclaude", "config.yaml"), "server:\n  port: 2002\n");
  const named = writeFile("named.yaml", "server:\n  port: 2003\n");

  test.each([
    ["XDG_CONFIG_HOME/anyclaude/config.yaml", { XDG_CONFIG_HOME: xdg, HOME: home }, undefined, 2001],
    ["~/.config/anyclaude/config.yaml without XDG_CONFIG_HOME", { HOME: home }, undefined, 2002],
    ["~/.config when XDG_CONFIG_HOME is relative (invalid per the spec)", { XDG_CONFIG_HOME: "rel", HOME: home }, undefined, 2002],
    ["ANYCLAUDE_CONFIG over the default file", { HOME: home, ANYCLAUDE_CONFIG: named }, undefined, 2003],
    ["--config over ANYCLAUDE_CONFIG", { HOME: home, ANYCLAUDE_CONFIG: join(dir, "missing.yaml") }, named, 2003],
    ["no file when the default file does not exist", { HOME: join(dir, "nobody") }, undefined, 8082],
  ])("%s", (_name, env, file, port) => {
    expect(loadConfig({ file, env, flags: {} }).server.port).toBe(port);
  });
});
