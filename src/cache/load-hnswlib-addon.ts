/**
 * Loads hnswlib-node's native addon both from source and from the compiled binary. The package's
 * own entry finds the addon through `bindings`, which searches the file system and cannot see
 * inside the binary; so the addon is loaded by path, and inside the binary unpacked first.
 */
import type * as Hnswlib from "hnswlib-node";
import { loadNativeAddon } from "../native/load-native-addon";

/** What the addon exports: the classes hnswlib-node's typings declare. */
export type HnswlibAddon = typeof Hnswlib;

export interface LoadedHnswlibAddon {
  addon: HnswlibAddon;
  /** The file it was loaded from: inside the binary a /$bunfs path, unpacked under the cache directory first. */
  source: string;
  embedded: boolean;
}

const ADDON_SPECIFIER = "hnswlib-node/build/Release/addon.node";

/**
 * Inside the binary the addon is copied to `<cacheDir>/native-<hash>/addon.node` and loaded from
 * there (never from $TMPDIR, which may be noexec); from source it loads in place from
 * node_modules, where `npm install` built it. Loading twice returns the same exports.
 *
 * @example
 * const { addon } = await loadHnswlibAddon(paths.cacheDir);
 * const index = new addon.HierarchicalNSW("cosine", 384);
 */
export async function loadHnswlibAddon(cacheDir: string): Promise<LoadedHnswlibAddon> {
  if (Bun.main.startsWith("/$bunfs/")) {
    const { default: source } = await import("./hnswlib-addon-file");
    const addon = loadNativeAddon<HnswlibAddon>(
      { name: "hnswlib", files: [{ name: "addon.node", path: source }], entry: "addon.node" },
      cacheDir,
    );
    return { addon, source, embedded: true };
  }
  // Resolved at run time only: a require.resolve of this path would make the bundler treat the
  // addon as a module (see hnswlib-addon-file.ts).
  const source = Bun.resolveSync(ADDON_SPECIFIER, import.meta.dir);
  const addon = require(source) as HnswlibAddon;
  return { addon, source, embedded: false };
}
