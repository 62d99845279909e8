import { describe, expect, test } from "bun:test";
import { findSchemaAt } from "../../../src/config/config-path";
import { ConfigSchema } from "../../../src/config/config-schema";
import { loadConfig } from "../../../src/config/load-config";
import { CONFIG_ENV_VARIABLES, readConfigEnv } from "../../../src/config/read-config-env";

function firstLeafPath(value: unknown): string[] {
  const path: string[] = [];
  while (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const [key, child] = Object.entries(value)[0]!;
    path.push(key);
    value = child;
  }
  return path;
}

describe("readConfigEnv", () => {
  test("every named variable points at a field of the schema", () => {
    for (const variable of CONFIG_ENV_VARIABLES) expect(findSchemaAt(ConfigSchema, variable.path)).toBeDefined();
  });

  test.each([
    ["ANYCLAUDE_HOST", "0.0.0.0", { server: { host: "0.0.0.0" } }],
    ["ANYCLAUDE_PORT", "9000", { server: { port: 9000 } }],
    ["ANYCLAUDE_MAX_BODY_BYTES", "1048576", { server: { maxBodyBytes: 1048576 } }],
    ["ANYCLAUDE_BACKENDS", "http://a:8080/v1, http://b:11434,", { backends: [{ url: "http://a:8080/v1" }, { url: "http://b:11434" }] }],
    ["ANYCLAUDE_MODEL_DEFAULT", "qwen3", { models: { default: "qwen3" } }],
    ["ANYCLAUDE_MODEL_OPUS", "llama/big", { models: { opus: "llama/big" } }],
    ["ANYCLAUDE_MODEL_SONNET", "mid", { models: { sonnet: "mid" } }],
    ["ANYCLAUDE_MODEL_HAIKU", "ollama/qwen3:4b", { models: { haiku: "ollama/qwen3:4b" } }],
    ["ANYCLAUDE_STRIP_BILLING_HEADER", "off", { claudeCode: { stripBillingHeader: false } }],
    ["ANYCLAUDE_LOG_LEVEL", "debug", { logging: { level: "debug" } }],
    ["ANYCLAUDE_LOG_FORMAT", "json", { logging: { format: "json" } }],
    ["ANYCLAUDE_SERVER__PING_INTERVAL_MS", "2500", { server: { pingIntervalMs: 2500 } }],
    ["ANYCLAUDE_DISCOVERY__PORTS", "11434, 8080", { discovery: { ports: [11434, 8080] } }],
    ["ANYCLAUDE_DISCOVERY__ENABLED", "FALSE", { discovery: { enabled: false } }],
    ["ANYCLAUDE_ROUTES__LONG_CONTEXT", "llama/long", { routes: { longContext: "llama/long" } }],
    ["ANYCLAUDE_CLAUDE_CODE__SYSTEM_MESSAGES", "keep", { claudeCode: { systemMessages: "keep" } }],
  ])("%s=%p", (name, text, expected) => {
    const { layer, issues } = readConfigEnv({ [name]: text });
    expect(issues).toEqual([]);
    expect(readConfigEnv({ [name]: text }).ignored).toEqual([]);
    expect(layer.value).toEqual(expected);
    expect(layer.describeSource(firstLeafPath(expected))).toBe(`env ${name}`);
  });

  test.each([
    ["true", true],
    ["1", true],
    ["yes", true],
    ["On", true],
    ["false", false],
    ["0", false],
    ["no", false],
    ["OFF", false],
  ])("boolean text %p", (text, expected) => {
    expect(readConfigEnv({ ANYCLAUDE_STRIP_BILLING_HEADER: text }).layer.value).toEqual({ claudeCode: { stripBillingHeader: expected } });
  });

  test("ignores other variables, ANYCLAUDE_CONFIG and empty values", () => {
    const { layer, issues } = readConfigEnv({ PATH: "/bin", ANYCLAUDE_CONFIG: "/etc/x.yaml", ANYCLAUDE_PORT: "", HOME: undefined });
    expect(layer.value).toEqual({});
    expect(issues).toEqual([]);
  });

  test("unknown names without __ are ignored and returned, so the caller can warn", () => {
    const { layer, issues, ignored } = readConfigEnv({ ANYCLAUDE_PROT: "1", ANYCLAUDE_ENGINES_CACHE: "/tmp/x", ANYCLAUDE_SERVER: "1" });
    expect(layer.value).toEqual({});
    expect(issues).toEqual([]);
    expect(ignored).toEqual(["ANYCLAUDE_ENGINES_CACHE", "ANYCLAUDE_PROT", "ANYCLAUDE_SERVER"]);
  });

  test.each([
    ["ANYCLAUDE_SERVER__PROT", "no field PROT in server; fields: host, port, maxBodyBytes, pingIntervalMs"],
    ["ANYCLAUDE_SERVRE__PORT", "no field SERVRE; fields: server, backends"],
    ["ANYCLAUDE_MODELS__ALIASES", "models.aliases is not a single value or a list of values; set it in the config file"],
  ])("%s is reported", (name, message) => {
    const { layer, issues, ignored } = readConfigEnv({ [name]: "1" });
    expect(layer.value).toEqual({});
    expect(ignored).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.source).toBe(`env ${name}`);
    expect(issues[0]!.message).toStartWith(message);
  });

  test("one field set by two variables is reported", () => {
    const { issues } = readConfigEnv({ ANYCLAUDE_PORT: "1", ANYCLAUDE_SERVER__PORT: "2" });
    expect(issues).toEqual([
      {
        path: "server.port",
        message: "set by both ANYCLAUDE_PORT and ANYCLAUDE_SERVER__PORT; keep one",
        source: "env ANYCLAUDE_SERVER__PORT",
      },
    ]);
  });
});

describe("environment text that does not convert fails validation with its variable", () => {
  test.each([
    ["ANYCLAUDE_PORT", "80a", "server.port", 'expected integer from 0 to 65535, found "80a"'],
    ["ANYCLAUDE_PORT", "8.5", "server.port", 'expected integer from 0 to 65535, found "8.5"'],
    ["ANYCLAUDE_MAX_BODY_BYTES", "1e6", "server.maxBodyBytes", 'expected integer >= 1024, found "1e6"'],
    ["ANYCLAUDE_STRIP_BILLING_HEADER", "maybe", "claudeCode.stripBillingHeader", 'expected boolean, found "maybe"'],
    ["ANYCLAUDE_DISCOVERY__PORTS", "11434,x", "discovery.ports[1]", 'expected integer from 1 to 65535, found "x"'],
    ["ANYCLAUDE_LOG_FORMAT", "xml", "logging.format", 'expected one of text, json, found "xml"'],
  ])("%s=%s", (name, text, path, message) => {
    let thrown: unknown;
    try {
      loadConfig({ env: { [name]: text }, flags: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "ConfigError", issues: [{ path, message, source: `env ${name}` }] });
  });
});
