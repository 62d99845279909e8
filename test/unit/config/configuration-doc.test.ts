import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIGURATION_DOC_PATH, renderConfigurationDoc } from "../../../scripts/gen-config-doc";
import { loadConfig } from "../../../src/config/load-config";

const written = readFileSync(CONFIGURATION_DOC_PATH, "utf8");

describe("docs/configuration.md", () => {
  test("matches the schema, the environment table and the flags (run `bun scripts/gen-config-doc.ts` if not)", () => {
    expect(written).toBe(renderConfigurationDoc());
  });

  test("its example YAML is a valid configuration with two backends and a model map", () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(written)?.[1];
    expect(example).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), "anyclaude-doc-example-"));
    try {
      const file = join(dir, "config.yaml");
      writeFileSync(file, example!);
      const config = loadConfig({ file, env: {}, flags: {} });
      expect(config.backends.map((backend) => [backend.kind, backend.url])).toEqual([
        ["llamacpp", "http://127.0.0.1:8080"],
        ["ollama", "http://127.0.0.1:11434"],
      ]);
      for (const family of ["opus", "sonnet", "haiku"] as const) expect(config.models[family]).toBeString();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
