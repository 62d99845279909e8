import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { extractNativeFiles } from "../../../src/native/extract-native-files";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-native-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stand-ins for embedded files: like Bun's `/$bunfs` names, theirs differ from the names they need. */
function writeSources(label: string, addon: string, library: string) {
  const sources = join(dir, `sources-${label}`);
  mkdirSync(sources, { recursive: true });
  writeFileSync(join(sources, "addon-1a2b.node"), addon);
  writeFileSync(join(sources, "libthing.so-3c4d.1"), library);
  return [
    { name: "addon.node", path: join(sources, "addon-1a2b.node") },
    { name: "libthing.so.1", path: join(sources, "libthing.so-3c4d.1") },
  ];
}

describe("extractNativeFiles", () => {
  test("puts the files side by side under their own names in <cacheDir>/native-<hash>", () => {
    const cacheDir = join(dir, "cache-a", "anyclaude");
    const target = extractNativeFiles(writeSources("a", "addon bytes", "library bytes"), cacheDir);
    expect(target).toMatch(new RegExp(`^${cacheDir}/native-[0-9a-f]{16}$`));
    expect(readdirSync(target).sort()).toEqual(["addon.node", "libthing.so.1"]);
    expect(readFileSync(join(target, "addon.node"), "utf8")).toBe("addon bytes");
    expect(readFileSync(join(target, "libthing.so.1"), "utf8")).toBe("library bytes");
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });

  test("the same files land in the same directory, untouched the second time", async () => {
    const cacheDir = join(dir, "cache-b");
    const files = writeSources("b", "addon", "library");
    const first = extractNativeFiles(files, cacheDir);
    const written = statSync(join(first, "addon.node")).mtimeMs;
    await Bun.sleep(20);
    expect(extractNativeFiles(files, cacheDir)).toBe(first);
    expect(statSync(join(first, "addon.node")).mtimeMs).toBe(written);
  });

  test("different contents get a different directory, so two builds never share one", () => {
    const cacheDir = join(dir, "cache-c");
    const one = extractNativeFiles(writeSources("c1", "addon v1", "library"), cacheDir);
    const two = extractNativeFiles(writeSources("c2", "addon v2", "library"), cacheDir);
    expect(basename(one)).not.toBe(basename(two));
    expect(readdirSync(cacheDir).sort()).toEqual([basename(one), basename(two)].sort());
  });

  test("a truncated file left by a crash is replaced", () => {
    const cacheDir = join(dir, "cache-d");
    const files = writeSources("d", "the whole addon", "library");
    const target = extractNativeFiles(files, cacheDir);
    writeFileSync(join(target, "addon.node"), "the wh");
    extractNativeFiles(files, cacheDir);
    expect(readFileSync(join(target, "addon.node"), "utf8")).toBe("the whole addon");
    expect(readdirSync(target).filter((name) => name.endsWith(".partial"))).toEqual([]);
  });
});
