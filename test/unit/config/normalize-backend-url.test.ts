import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load-config";
import { normalizeBackendUrl } from "../../../src/config/normalize-backend-url";

describe("normalizeBackendUrl", () => {
  test.each([
    ["http://h:8080/v1/", "http://h:8080"],
    ["http://h:8080/v1", "http://h:8080"],
    ["http://h:8080/V1", "http://h:8080"],
    ["http://h:8080/", "http://h:8080"],
    ["http://h:8080//", "http://h:8080"],
    ["http://h:8080", "http://h:8080"],
    ["https://example.test/llm/v1/", "https://example.test/llm"],
    [" http://h:8080/v1 ", "http://h:8080"],
    // Only a trailing /v1 goes: a path segment that merely ends in v1, or a /v1 in the middle, stays.
    ["http://h:8080/apiv1", "http://h:8080/apiv1"],
    ["http://h:8080/v1/engine", "http://h:8080/v1/engine"],
  ])("%p -> %p", (input, expected) => {
    expect(normalizeBackendUrl(input)).toBe(expected);
  });
});

describe("loadConfig normalizes backend URLs from every source", () => {
  test("file, environment and flags", () => {
    const dir = mkdtempSync(join(tmpdir(), "anyclaude-urls-"));
    try {
      const file = join(dir, "c.yaml");
      writeFileSync(file, "backends:\n  - url: http://file:8080/v1/\n");
      expect(loadConfig({ file, env: {}, flags: {} }).backends[0]!.url).toBe("http://file:8080");
      expect(
        loadConfig({ env: { ANYCLAUDE_BACKENDS: "http://env:11434/v1,http://env2:1/" }, flags: {} }).backends.map((b) => b.url),
      ).toEqual(["http://env:11434", "http://env2:1"]);
      expect(loadConfig({ env: {}, flags: { backend: ["http://flag:1234/v1/"] } }).backends[0]!.url).toBe("http://flag:1234");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
