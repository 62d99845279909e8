#!/usr/bin/env bun
/**
 * Builds the one file users download: `bun run build` compiles src/cli/main.ts with
 * `bun build --compile` into dist/anyclaude (linux-x64) and dist/anyclaude-baseline (x64 CPUs
 * without AVX2), with the version and commit stamped in. The lists below are where the store's
 * migrations and the native addons join the binary.
 *
 *   bun run build                         both targets
 *   bun build.ts --target native          dist/anyclaude only (no download ever needed)
 *   bun build.ts --baseline-runtime FILE  build the baseline one offline from a runtime you have
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { BunPlugin } from "bun";

const ROOT = import.meta.dir;
const ENTRY = join(ROOT, "src/cli/main.ts");
const LOAD_NATIVE_ADDON = join(ROOT, "src/native/load-native-addon.ts");

/**
 * Folders (relative to the repository) embedded whole, subfolders included, at
 * `/$bunfs/root/<folder>` inside the binary (tried with a drizzle-like folder: readdirSync and
 * readFileSync work there). Read with readFileSync: copyFileSync out of /$bunfs fails.
 */
export const EMBEDDED_ASSET_DIRS: readonly string[] = [
  // The store's migrations: the stock bun-sqlite migrator reads them at /$bunfs/root/drizzle
  // (src/store/find-migrations-folder.ts).
  "drizzle",
  // The BERT vocabulary, and an all-MiniLM-L6-v2.onnx when one was put there before building
  // (git ignores *.onnx): the embedder then needs no download (src/embed/locate-minilm-model.ts).
  "models",
];

/**
 * A package whose own JavaScript `require`s its `.node` binding. Inside the binary that require
 * would unpack the binding to $TMPDIR (fails when /tmp is noexec) without the shared library it
 * links, so the build rewrites it to take the addon that loadNativeAddon unpacked into
 * `$XDG_CACHE_HOME/anyclaude/native-<hash>/` (src/native/load-native-addon.ts).
 */
export interface NativeLoaderRedirect {
  /** The package file holding the require, as a module specifier or absolute path. */
  loader: string;
  /** That require expression as the file writes it; the build fails if it is not found. */
  require: RegExp;
  /** The NativeAddon name the code loads with loadNativeAddon before importing the package. */
  addon: string;
}

/**
 * onnxruntime-node's dist/binding.js requires its binding by a template path; the embedder
 * (src/embed/load-onnxruntime.ts) unpacks `onnxruntime_binding.node` and `libonnxruntime.so.1`
 * (src/embed/onnxruntime-addon.ts) with loadNativeAddon before it imports the package.
 * hnswlib-node needs no entry: its JavaScript is only `require("bindings")("addon")`, so the
 * index code imports `build/Release/addon.node` as a file and uses what loadNativeAddon returns
 * directly.
 */
export const NATIVE_LOADER_REDIRECTS: readonly NativeLoaderRedirect[] = [
  {
    loader: "onnxruntime-node/dist/binding.js",
    require: /require\(`\.\.\/bin\/napi-v6\/\$\{process\.platform\}\/\$\{process\.arch\}\/onnxruntime_binding\.node`\)/,
    addon: "onnxruntime",
  },
];

export interface BinaryTarget {
  name: "native" | "baseline";
  target: Bun.Build.CompileTarget;
  outfile: string;
}

export const BINARY_TARGETS: readonly BinaryTarget[] = [
  { name: "native", target: "bun-linux-x64", outfile: join(ROOT, "dist/anyclaude") },
  // Bun's runtime for this target is not the one running the build: Bun fetches it through the
  // npm registry (@oven/bun-linux-x64-baseline) into its install cache the first time.
  { name: "baseline", target: "bun-linux-x64-baseline", outfile: join(ROOT, "dist/anyclaude-baseline") },
];

export interface BuildStamp {
  version: string;
  commit: string;
}

/**
 * @example
 * readBuildStamp(); // { version: "0.1.0", commit: "1f9c179" }, or commit "dev" outside git
 */
export function readBuildStamp(): BuildStamp {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const git = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: ROOT, stdout: "pipe", stderr: "ignore" });
  const commit = git.success ? git.stdout.toString().trim() : "";
  return { version, commit: commit || "dev" };
}

export interface CompileOptions {
  target: Bun.Build.CompileTarget;
  outfile: string;
  stamp: BuildStamp;
  /** A Bun runtime for `target` already on disk, so no download is needed. */
  executablePath?: string;
}

/**
 * Resolves with the problems Bun reported; an empty list means the binary is at `outfile`.
 *
 * @example
 * const problems = await compileAnyclaude({ target: "bun-linux-x64", outfile: "dist/anyclaude", stamp: readBuildStamp() });
 */
export async function compileAnyclaude(options: CompileOptions): Promise<string[]> {
  const result = await Bun.build({
    entrypoints: [ENTRY],
    compile: {
      target: options.target,
      outfile: options.outfile,
      assets: EMBEDDED_ASSET_DIRS.map((dir) => join(ROOT, dir)),
      ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
      // A service must not change behaviour with the .env or bunfig.toml of its working directory.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    define: { ANYCLAUDE_VERSION: JSON.stringify(options.stamp.version), ANYCLAUDE_COMMIT: JSON.stringify(options.stamp.commit) },
    plugins: [redirectNativeLoaders(NATIVE_LOADER_REDIRECTS)],
    // Identifiers stay readable: stack traces in a user's log must name the functions.
    minify: { whitespace: true, syntax: true, identifiers: false },
    // Precompiled bytecode halves start-up (about 180 ms to 75 ms to listening here) for 5 MB;
    // ESM because main.ts awaits at top level.
    bytecode: true,
    format: "esm",
    throw: false,
  });
  return result.success ? [] : result.logs.map((log) => String(log));
}

/**
 * The Bun.build plugin that applies NATIVE_LOADER_REDIRECTS. A pattern that no longer matches
 * (the package changed its loader) fails the build instead of shipping an addon that cannot load.
 *
 * @example
 * await Bun.build({ entrypoints, compile: true, plugins: [redirectNativeLoaders(NATIVE_LOADER_REDIRECTS)] });
 */
export function redirectNativeLoaders(redirects: readonly NativeLoaderRedirect[]): BunPlugin {
  return {
    name: "anyclaude-native-loaders",
    setup(build) {
      for (const redirect of redirects) {
        const path = Bun.resolveSync(redirect.loader, ROOT);
        build.onLoad({ filter: new RegExp(`^${RegExp.escape(path)}$`) }, () => {
          const source = readFileSync(path, "utf8");
          if (!redirect.require.test(source)) {
            throw new Error(`${redirect.loader} no longer contains ${redirect.require}; update NATIVE_LOADER_REDIRECTS in build.ts`);
          }
          const replacement = `require(${JSON.stringify(LOAD_NATIVE_ADDON)}).getLoadedNativeAddon(${JSON.stringify(redirect.addon)})`;
          return { contents: source.replace(redirect.require, replacement), loader: "js" };
        });
      }
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { target: { type: "string", default: "all" }, "baseline-runtime": { type: "string" } },
    strict: true,
  });
  const wanted = BINARY_TARGETS.filter((target) => values.target === "all" || values.target === target.name);
  if (wanted.length === 0) {
    console.error(`build.ts: --target must be native, baseline or all, not ${values.target}`);
    return 2;
  }
  const stamp = readBuildStamp();
  let failed = 0;
  for (const target of wanted) {
    const executablePath = target.name === "baseline" ? values["baseline-runtime"] : undefined;
    const started = performance.now();
    const problems = await compileAnyclaude({ target: target.target, outfile: target.outfile, stamp, executablePath });
    if (problems.length === 0) {
      const megabytes = (statSync(target.outfile).size / 1e6).toFixed(1);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`built ${target.outfile} (${target.target}, ${megabytes} MB, ${stamp.version} commit ${stamp.commit}) in ${seconds} s`);
      continue;
    }
    failed++;
    console.error(`build.ts: could not build ${target.outfile} (${target.target}):\n  ${problems.join("\n  ")}`);
    if (problems.some((problem) => problem.includes("Failed to download"))) {
      console.error(
        `  Bun needs its ${target.target} runtime (v${Bun.version}) and fetches it through the npm registry the first time;\n` +
          "  this machine could not. Either build once with network access (Bun keeps the runtime in its install cache,\n" +
          `  $BUN_INSTALL_CACHE_DIR or ~/.bun/install/cache), or copy that runtime here (the 'bun' file of the npm package\n` +
          `  @oven/bun-linux-x64-baseline@${Bun.version}) and pass it: bun build.ts --baseline-runtime /path/to/bun`,
      );
    }
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main();
