/**
 * The vector index on disk: hnswlib's own file, and a small JSON manifest beside it
 * (`<path>.json`) that says what the file holds and carries its checksum, so that a load can
 * tell a file this code wrote from a damaged one before handing it to the C++ loader.
 */
import { mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import type { HierarchicalNSW } from "hnswlib-node";

const FORMAT = "anyclaude-hnsw-1";

interface HnswIndexManifest {
  format: typeof FORMAT;
  space: "cosine";
  dimensions: number;
  /** Live entries: the labels in the file less `deletedIds`. */
  entries: number;
  /** Labels still in the file but marked deleted (hnswlib keeps them until their slot is reused). */
  deletedIds: number[];
  bytes: number;
  xxhash64: string;
}

export type HnswIndexFileContents = Pick<HnswIndexManifest, "dimensions" | "entries" | "deletedIds">;

/**
 * @example
 * manifestPathOf("/data/anyclaude/semantic.hnsw"); // "/data/anyclaude/semantic.hnsw.json"
 */
export function manifestPathOf(indexPath: string): string {
  return `${indexPath}.json`;
}

/**
 * Writes both files under temporary names, then renames the index and then the manifest over
 * the old ones: a reader sees old or new files, never a partial one. A crash between the two
 * renames leaves a manifest whose checksum does not match the index, which the next start
 * treats like any damaged file: it rebuilds from the store. That is also why there is no fsync:
 * a file lost to a power cut costs a rebuild, not wrong answers.
 *
 * @example
 * await writeHnswIndexFile(hnsw, "/data/anyclaude/semantic.hnsw", { dimensions: 384, entries: 2, deletedIds: [] });
 */
export async function writeHnswIndexFile(hnsw: HierarchicalNSW, path: string, contents: HnswIndexFileContents): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  await hnsw.writeIndex(partial);
  const bytes = await Bun.file(partial).bytes();
  const manifest: HnswIndexManifest = { format: FORMAT, space: "cosine", ...contents, bytes: bytes.length, xxhash64: hashOf(bytes) };
  const manifestPath = manifestPathOf(path);
  await Bun.write(`${manifestPath}.partial`, `${JSON.stringify(manifest)}\n`);
  renameSync(partial, path);
  renameSync(`${manifestPath}.partial`, manifestPath);
}

export type HnswIndexFileCheck = { ok: true; manifest: HnswIndexManifest } | { ok: false; missing: boolean; problem: string };

/**
 * Whether the index file at `path` is one this code wrote for `dimensions`, whole and unchanged.
 * Only then may hnswlib load it: its loader trusts the sizes in the file's header, and garbage
 * there can make it allocate without bound or abort the process.
 *
 * @example
 * const check = await checkHnswIndexFile("/data/anyclaude/semantic.hnsw", 384);
 * if (!check.ok) console.warn(`rebuilding the index: ${check.problem}`);
 */
export async function checkHnswIndexFile(path: string, dimensions: number): Promise<HnswIndexFileCheck> {
  const indexFile = Bun.file(path);
  if (!(await indexFile.exists())) return { ok: false, missing: true, problem: `no index file at ${path}` };
  const manifestFile = Bun.file(manifestPathOf(path));
  if (!(await manifestFile.exists())) return damaged(`no manifest beside it (${manifestPathOf(path)})`);
  let manifest: HnswIndexManifest;
  try {
    manifest = JSON.parse(await manifestFile.text()) as HnswIndexManifest;
  } catch (error) {
    return damaged(`its manifest is not JSON: ${(error as Error).message}`);
  }
  if (manifest?.format !== FORMAT || manifest.space !== "cosine") return damaged(`its manifest is not an ${FORMAT} cosine manifest`);
  if (manifest.dimensions !== dimensions) return damaged(`it holds ${manifest.dimensions}-dimensional vectors, not ${dimensions}`);
  if (!Number.isSafeInteger(manifest.entries) || !Array.isArray(manifest.deletedIds)) return damaged("its manifest lacks the entry counts");
  const bytes = await indexFile.bytes();
  if (bytes.length !== manifest.bytes) return damaged(`it is ${bytes.length} bytes long, the manifest says ${manifest.bytes}`);
  if (hashOf(bytes) !== manifest.xxhash64) return damaged("its checksum does not match the manifest");
  return { ok: true, manifest };
}

function damaged(problem: string): HnswIndexFileCheck {
  return { ok: false, missing: false, problem };
}

/** xxHash64: about 1 ms for a 10,000-vector (17 MB) file here, and any damage changes it. */
function hashOf(bytes: Uint8Array): string {
  return Bun.hash.xxHash64(bytes).toString(16).padStart(16, "0");
}
