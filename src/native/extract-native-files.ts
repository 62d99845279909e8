/**
 * Copies native files embedded in the binary (addons and the shared libraries they link) into a
 * private cache directory, where they can be loaded. Bun's own fallback unpacks a `.node` into
 * $TMPDIR, which fails when /tmp is mounted noexec and leaves the addon's `.so` behind.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface NativeFile {
  /** The name the file must have on disk: a library is found by its soname, e.g. `libonnxruntime.so.1`. */
  name: string;
  /** Where it is now: the `with { type: "file" }` import's path (`/$bunfs/...` inside the binary). */
  path: string;
}

/**
 * Files land side by side in `<cacheDir>/native-<hash>/`, the hash taken over names and
 * contents, so an addon finds its libraries through its `$ORIGIN` run path and two binaries of
 * different builds never share a directory. Each file is written under a temporary name and
 * renamed, so a process that crashed or raced half-way never leaves a truncated library to
 * load; a later start finds the directory complete and writes nothing.
 *
 * @example
 * import addonPath from "hnswlib-node/build/Release/addon.node" with { type: "file" };
 * const dir = extractNativeFiles([{ name: "addon.node", path: addonPath }], paths.cacheDir);
 * // "/home/me/.cache/anyclaude/native-3f9a0c1d2b4e5f67"
 */
export function extractNativeFiles(files: readonly NativeFile[], cacheDir: string): string {
  // readFileSync, not copyFileSync: copying out of /$bunfs fails, reading works.
  const contents = files.map((file) => ({ name: file.name, bytes: readFileSync(file.path) }));
  const hasher = new Bun.CryptoHasher("sha256");
  for (const { name, bytes } of contents) hasher.update(`${name}\0${bytes.length}\0`).update(bytes);
  const dir = join(cacheDir, `native-${hasher.digest("hex").slice(0, 16)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { name, bytes } of contents) {
    const target = join(dir, name);
    if (existsSync(target) && statSync(target).size === bytes.length) continue;
    const partial = join(dir, `.${name}.${process.pid}.partial`);
    writeFileSync(partial, bytes, { mode: 0o700 });
    chmodSync(partial, 0o700);
    renameSync(partial, target);
  }
  return dir;
}
