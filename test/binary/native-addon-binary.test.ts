/**
 * The native-addon machinery of the binary, before the real addons (hnswlib-node,
 * onnxruntime-node) arrive: a small N-API addon compiled here, linking a shared library of its
 * own through `$ORIGIN` as onnxruntime_binding.node links libonnxruntime.so.1, loaded by a
 * package loader that requires it by a template path as onnxruntime-node's binding.js does.
 * Built with build.ts's redirect plugin and run alone with a noexec TMPDIR, it must load from
 * `$XDG_CACHE_HOME/anyclaude/native-<hash>/`; built without the redirect, Bun's own unpacking
 * into TMPDIR fails, which is why the machinery exists.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NativeLoaderRedirect, redirectNativeLoaders } from "../../build";
import { type BareMachine, prepareBareMachine } from "../support/anyclaude-binary";

const ROOT = join(import.meta.dir, "../..");
const NODE_API_HEADERS = "/usr/include/node";
const missing = !Bun.which("gcc")
  ? "gcc is not installed"
  : !existsSync(join(NODE_API_HEADERS, "node_api.h"))
    ? `no ${NODE_API_HEADERS}/node_api.h`
    : undefined;
if (missing) console.warn(`native addon binary tests skipped: ${missing}`);

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-native-binary-"));
const packageDir = join(scratch, "fake-package");
const LOADER_REQUIRE = /require\(`\.\/bin\/\$\{process\.platform\}\/\$\{process\.arch\}\/fixture\.node`\)/;
const REDIRECT: NativeLoaderRedirect = { loader: join(packageDir, "loader.js"), require: LOADER_REQUIRE, addon: "fixture" };
const machines: BareMachine[] = [];

beforeAll(() => {
  if (missing) return;
  const binDir = join(packageDir, "bin", process.platform, process.arch);
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(scratch, "library.c"), "int fixture_answer(void) { return 42; }\n");
  writeFileSync(
    join(scratch, "addon.c"),
    `#include <node_api.h>
int fixture_answer(void);
static napi_value Answer(napi_env env, napi_callback_info info) { napi_value result; napi_create_int32(env, fixture_answer(), &result); return result; }
NAPI_MODULE_INIT() { napi_value fn; napi_create_function(env, "answer", NAPI_AUTO_LENGTH, Answer, NULL, &fn); napi_set_named_property(env, exports, "answer", fn); return exports; }
`,
  );
  compile(["-shared", "-fPIC", "-Wl,-soname,libfixture.so.1", "-o", join(binDir, "libfixture.so.1"), join(scratch, "library.c")]);
  compile([
    "-shared",
    "-fPIC",
    `-I${NODE_API_HEADERS}`,
    "-o",
    join(binDir, "fixture.node"),
    join(scratch, "addon.c"),
    join(binDir, "libfixture.so.1"),
    "-Wl,-rpath,$ORIGIN",
  ]);
  writeFileSync(
    join(packageDir, "loader.js"),
    ["module.exports = require(`./bin/$", "{process.platform}/$", "{process.arch}/fixture.node`);\n"].join(""),
  );

  // What the embedder will do with onnxruntime-node: embed the files, unpack and load the
  // addon into the cache directory, then import the package, whose loader asks for it.
  const file = (name: string) => JSON.stringify(join(binDir, name));
  writeFileSync(
    join(scratch, "entry.ts"),
    `import addonPath from ${file("fixture.node")} with { type: "file" };
import libraryPath from ${file("libfixture.so.1")} with { type: "file" };
import { resolveDataPaths } from ${JSON.stringify(join(ROOT, "src/config/data-paths.ts"))};
import { loadNativeAddon } from ${JSON.stringify(join(ROOT, "src/native/load-native-addon.ts"))};

const { cacheDir } = resolveDataPaths({}, process.env);
if (process.argv[2] !== "--package-only") {
  loadNativeAddon({ name: "fixture", entry: "fixture.node", files: [{ name: "fixture.node", path: addonPath }, { name: "libfixture.so.1", path: libraryPath }] }, cacheDir);
}
const addon = (await import(${JSON.stringify(REDIRECT.loader)})).default;
console.log(JSON.stringify({ answer: addon.answer() }));
`,
  );
  // Only the package, as a build without the machinery would have it.
  writeFileSync(
    join(scratch, "plain-entry.ts"),
    `const addon = (await import(${JSON.stringify(REDIRECT.loader)})).default;\nconsole.log(JSON.stringify({ answer: addon.answer() }));\n`,
  );
});

afterAll(() => {
  for (const machine of machines) machine.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function compile(args: string[]) {
  const result = Bun.spawnSync(["gcc", ...args], { stderr: "pipe" });
  if (!result.success) throw new Error(`gcc ${args.join(" ")} failed:\n${result.stderr}`);
}

async function buildFixtureBinary(name: string, redirects: NativeLoaderRedirect[], entry = "entry.ts") {
  const outfile = join(scratch, name);
  const result = await Bun.build({
    entrypoints: [join(scratch, entry)],
    compile: { target: "bun-linux-x64", outfile, autoloadDotenv: false, autoloadBunfig: false },
    plugins: [redirectNativeLoaders(redirects)],
    format: "esm",
    throw: false,
  });
  return { outfile, success: result.success, logs: result.logs.map(String).join("\n") };
}

async function runAlone(binaryPath: string, args: string[] = []) {
  const machine = prepareBareMachine(binaryPath, scratch);
  machines.push(machine);
  const child = Bun.spawn([machine.binary, ...args], { cwd: machine.cwd, env: machine.env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { machine, stdout, stderr, status };
}

describe.skipIf(missing !== undefined)("native addons in the compiled binary", () => {
  test("load from $XDG_CACHE_HOME/anyclaude/native-<hash>/ with their library beside them, never from TMPDIR", async () => {
    const build = await buildFixtureBinary("with-redirect", [REDIRECT]);
    expect(build.logs).toBe("");
    const { machine, stdout, stderr, status } = await runAlone(build.outfile);
    expect(stderr).toBe("");
    expect(stdout).toBe('{"answer":42}\n');
    expect(status).toBe(0);
    const cacheDir = join(machine.env.XDG_CACHE_HOME!, "anyclaude");
    const [nativeDir, ...others] = readdirSync(cacheDir);
    expect(others).toEqual([]);
    expect(nativeDir).toMatch(/^native-[0-9a-f]{16}$/);
    expect(readdirSync(join(cacheDir, nativeDir!)).sort()).toEqual(["fixture.node", "libfixture.so.1"]);
    expect(readdirSync(machine.env.TMPDIR!)).toEqual([]);
    if (machine.noexecTmpProblem) console.warn(`TMPDIR was not noexec: ${machine.noexecTmpProblem}`);
  }, 120_000);

  test("a redirected loader used before loadNativeAddon says what to do", async () => {
    const build = await buildFixtureBinary("load-order", [REDIRECT]);
    const { stderr, status } = await runAlone(build.outfile, ["--package-only"]);
    expect(status).not.toBe(0);
    expect(stderr).toContain("native addon fixture was required before loadNativeAddon unpacked it");
  }, 120_000);

  test("without the redirect, Bun unpacks the addon into the noexec TMPDIR and it cannot load", async () => {
    const build = await buildFixtureBinary("without-redirect", [], "plain-entry.ts");
    expect(build.logs).toBe("");
    const { machine, stderr, status } = await runAlone(build.outfile);
    if (machine.noexecTmpProblem) {
      console.warn(`skipped the noexec part: ${machine.noexecTmpProblem}`);
      return;
    }
    expect(status).not.toBe(0);
    expect(stderr).toContain("failed to map segment from shared object");
  }, 120_000);

  test("a loader that no longer matches its pattern fails the build instead of shipping a broken addon", async () => {
    const stale: NativeLoaderRedirect = { ...REDIRECT, require: /require\("\.\/build\/Release\/fixture\.node"\)/ };
    const build = await buildFixtureBinary("stale-pattern", [stale]);
    expect(build.success).toBe(false);
    expect(build.logs).toContain("update NATIVE_LOADER_REDIRECTS in build.ts");
  }, 120_000);
});
