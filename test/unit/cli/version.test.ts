import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { version as packageVersion } from "../../../package.json" with { type: "json" };
import { COMMIT, VERSION } from "../../../src/cli/version";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-version-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("version", () => {
  test("from source: package.json's version and the dev commit", () => {
    expect(VERSION).toBe(packageVersion);
    expect(COMMIT).toBe("dev");
  });

  test("a build stamps both through `define`", async () => {
    const entry = join(dir, "print-version.ts");
    writeFileSync(
      entry,
      `import { COMMIT, VERSION } from ${JSON.stringify(join(import.meta.dir, "../../../src/cli/version.ts"))};\nconsole.log(VERSION, COMMIT);\n`,
    );
    const build = await Bun.build({
      entrypoints: [entry],
      outdir: join(dir, "out"),
      target: "bun",
      define: { ANYCLAUDE_VERSION: JSON.stringify("9.9.9"), ANYCLAUDE_COMMIT: JSON.stringify("abc1234") },
    });
    expect(build.success).toBe(true);
    const child = Bun.spawn([process.execPath, build.outputs[0]!.path], { stdout: "pipe" });
    expect(await new Response(child.stdout).text()).toBe("9.9.9 abc1234\n");
    expect(await child.exited).toBe(0);
  });
});
