import { describe, expect, test } from "bun:test";
import { createLogger, type LoggerOptions } from "../../../src/log/logger";

const FIXED_TIME = new Date("2026-03-04T05:06:07.089Z");

function captureLogger(options: Omit<LoggerOptions, "write" | "now">) {
  const lines: string[] = [];
  const logger = createLogger({ ...options, write: (line) => lines.push(line), now: () => FIXED_TIME });
  return { logger, lines };
}

describe("createLogger text format", () => {
  test("one `level message key=value` line per record", () => {
    const { logger, lines } = captureLogger({ level: "debug", format: "text" });
    logger.info("listening", { host: "127.0.0.1", port: 8082, tls: false, backends: ["llama", "ollama"] });
    logger.warn("slow backend", { note: "took a while", empty: "", missing: undefined, nothing: null });
    expect(lines).toEqual([
      'info listening host=127.0.0.1 port=8082 tls=false backends=["llama","ollama"]',
      'warn slow backend note="took a while" empty="" nothing=null',
    ]);
  });

  test("line breaks in messages and values stay on one line", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "text" });
    logger.error("first\nsecond", { body: 'a "quoted"\nvalue' });
    expect(lines).toEqual(['error first\\nsecond body="a \\"quoted\\"\\nvalue"']);
  });

  test("records below the level are not written", () => {
    const { logger, lines } = captureLogger({ level: "warn", format: "text" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines).toEqual(["warn w", "error e"]);
  });

  test("no escape sequences unless colour is asked for", () => {
    const plain = captureLogger({ level: "info", format: "text" });
    plain.logger.error("boom");
    expect(plain.lines[0]).not.toContain("\x1b[");
    const coloured = captureLogger({ level: "info", format: "text", color: true });
    coloured.logger.error("boom");
    expect(coloured.lines).toEqual(["\x1b[31merror\x1b[0m boom"]);
  });

  test("child loggers add their fields; the call's own fields win", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "text" });
    const child = logger.child({ requestId: "req_1", backend: "a" }).child({ backend: "b" });
    child.info("done", { status: 200 });
    child.info("again", { backend: "c" });
    logger.info("parent");
    expect(lines).toEqual(["info done requestId=req_1 backend=b status=200", "info again requestId=req_1 backend=c", "info parent"]);
  });
});

describe("createLogger JSON format", () => {
  test("one object per line with time, level and msg first", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "json" });
    logger.warn("slow backend", { ms: 812, nested: { a: [1, 2] } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('{"time":"2026-03-04T05:06:07.089Z","level":"warn","msg":"slow backend","ms":812,"nested":{"a":[1,2]}}');
  });

  test("fields named like record keys do not overwrite them", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "json" });
    logger.info("real", { msg: "field", level: "field", time: 1 });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: FIXED_TIME.toISOString(),
      level: "info",
      msg: "real",
      "field.msg": "field",
      "field.level": "field",
      "field.time": 1,
    });
  });
});

describe("createLogger redaction", () => {
  const secretFields = {
    apiKey: "plain-value-1",
    api_key: "plain-value-2",
    "x-api-key": "plain-value-3",
    Authorization: "plain-value-4",
    accessToken: "plain-value-5",
    clientSecret: "plain-value-6",
    password: "plain-value-7",
    headers: { authorization: "plain-value-8", "content-type": "application/json" },
    backends: [{ url: "http://a", apiKey: "plain-value-9" }],
  };

  test.each(["text", "json"] as const)("values of secret-looking keys, at any depth (%s)", (format) => {
    const { logger, lines } = captureLogger({ level: "info", format });
    logger.info("config", secretFields);
    expect(lines[0]).not.toMatch(/plain-value/);
    expect(lines[0]).toContain("application/json");
    expect(lines[0]).toContain("http://a");
    if (format === "json") {
      const record = JSON.parse(lines[0]!);
      expect(record.apiKey).toBe("[redacted]");
      expect(record.headers).toEqual({ authorization: "[redacted]", "content-type": "application/json" });
      expect(record.backends).toEqual([{ url: "http://a", apiKey: "[redacted]" }]);
    }
  });

  test.each(["text", "json"] as const)("sk- keys and bearer credentials inside any text (%s)", (format) => {
    const { logger, lines } = captureLogger({ level: "info", format });
    logger.info("calling with sk-ant-api03-abcdefghijklmnop", {
      curl: "curl -H 'Authorization: Bearer eyJhbGciOi.payload.sig' http://h",
      url: "http://h/?key=sk-proj-0123456789abcdef",
      error: new Error("rejected key sk-live-9876543210zyxw"),
    });
    expect(lines[0]).not.toMatch(/abcdefghijklmnop|eyJhbGciOi|0123456789abcdef|9876543210zyxw/);
    expect(lines[0]).toContain("Bearer [redacted]");
    expect(lines[0]).toContain("key=[redacted]");
  });

  test("texts anywhere under a secret key are hidden; counts named like tokens are not", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "json" });
    logger.info("usage", { inputTokens: 1234, cacheTokens: 0, streaming: true, tokens: ["plain-a", 7], secret: { inner: "plain-b" } });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      inputTokens: 1234,
      cacheTokens: 0,
      streaming: true,
      tokens: ["[redacted]", 7],
      secret: { inner: "[redacted]" },
    });
  });

  test("short words starting with sk- are not mistaken for keys", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "text" });
    logger.info("mode", { flag: "sk-off" });
    expect(lines).toEqual(["info mode flag=sk-off"]);
  });
});

describe("createLogger errors", () => {
  const error = new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", cause: "socket closed" }),
  });

  test("text shows the message and the cause chain", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "text" });
    logger.error("backend unreachable", { error });
    expect(lines).toEqual([
      'error backend unreachable error="TypeError: fetch failed; caused by Error [ECONNREFUSED]: connect ECONNREFUSED 127.0.0.1:9; caused by socket closed"',
    ]);
  });

  test("JSON nests the cause chain", () => {
    const { logger, lines } = captureLogger({ level: "info", format: "json" });
    logger.error("backend unreachable", { error });
    expect(JSON.parse(lines[0]!).error).toEqual({
      name: "TypeError",
      message: "fetch failed",
      cause: { name: "Error", message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED", cause: "socket closed" },
    });
  });

  test("a cause cycle ends instead of recursing forever", () => {
    const first = new Error("first");
    const second = new Error("second", { cause: first });
    first.cause = second;
    const { logger, lines } = captureLogger({ level: "info", format: "text" });
    logger.error("loop", { error: first });
    expect(lines).toEqual(['error loop error="Error: first; caused by Error: second; caused by [circular cause]"']);
  });

  test("circular objects are cut", () => {
    const node: Record<string, unknown> = { name: "n" };
    node.self = node;
    const { logger, lines } = captureLogger({ level: "info", format: "json" });
    logger.info("cycle", { node });
    expect(JSON.parse(lines[0]!).node).toEqual({ name: "n", self: "[circular]" });
  });
});
