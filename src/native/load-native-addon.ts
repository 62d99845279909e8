/**
 * Loads a native addon embedded in the binary from its unpacked copy in the cache directory,
 * and keeps what it exports for packages whose own loader the build redirects (see
 * NATIVE_LOADER_REDIRECTS in build.ts). An addon is loaded once per process: dlopen is
 * process-wide, so this registry mirrors state the process has anyway.
 */
import { join } from "node:path";
import { extractNativeFiles, type NativeFile } from "./extract-native-files";

export interface NativeAddon {
  /** Registry key, e.g. `onnxruntime`; a redirected loader asks for the addon by it. */
  name: string;
  /** The addon and every library it links that the target machine lacks; they land side by side. */
  files: readonly NativeFile[];
  /** Which of `files` is the addon itself (the `.node`). */
  entry: string;
}

const loaded = new Map<string, unknown>();

/**
 * @example
 * import addonPath from "hnswlib-node/build/Release/addon.node" with { type: "file" };
 * const hnsw = loadNativeAddon<HnswAddon>({ name: "hnswlib", files: [{ name: "addon.node", path: addonPath }], entry: "addon.node" }, paths.cacheDir);
 */
export function loadNativeAddon<Exports>(addon: NativeAddon, cacheDir: string): Exports {
  if (loaded.has(addon.name)) return loaded.get(addon.name) as Exports;
  if (!addon.files.some((file) => file.name === addon.entry)) {
    throw new Error(`native addon ${addon.name}: entry ${addon.entry} is not among its files`);
  }
  const dir = extractNativeFiles(addon.files, cacheDir);
  const module = { exports: {} as Exports };
  process.dlopen(module, join(dir, addon.entry));
  loaded.set(addon.name, module.exports);
  return module.exports;
}

/**
 * What a redirected package loader calls in place of its `require("....node")`: the addon must
 * have been loaded first, because only the caller of loadNativeAddon knows the cache directory.
 *
 * @example
 * loadNativeAddon(ONNXRUNTIME_ADDON, paths.cacheDir);
 * const ort = await import("onnxruntime-node"); // its binding.js now calls getLoadedNativeAddon("onnxruntime")
 * @public Called by the code build.ts writes into the package loaders, which knip cannot see.
 */
export function getLoadedNativeAddon(name: string): unknown {
  if (!loaded.has(name)) {
    throw new Error(`native addon ${name} was required before loadNativeAddon unpacked it; load it first, then import the package`);
  }
  return loaded.get(name);
}
