/**
 * Opens the semantic cache's vector index: the saved file when it is sound and agrees with the
 * store, else a new index rebuilt from the store's rows. The index is derived data; the store
 * (SQLite) is the source of truth, so any doubt about the file is settled by rebuilding.
 */

import type { ProgressUpdate } from "../log/format-progress-line";
import { createProgressReporter } from "../log/progress-reporter";
import { HnswVectorIndex } from "./hnsw-vector-index";
import { loadHnswlibAddon } from "./load-hnswlib-addon";

export interface VectorSourceRow {
  id: number;
  vector: Float32Array;
}

export interface OpenVectorIndexOptions {
  /** The index file, beside the database, e.g. `<dataDir>/semantic.hnsw`; its manifest is `<path>.json`. */
  path: string;
  /** 384 (MiniLM) unless given. */
  dimensions?: number;
  /** Where the binary unpacks the hnswlib addon (DataPaths.cacheDir). */
  cacheDir: string;
  /** Every stored embedding of this index's model (Embedder.id); read only to rebuild. */
  rebuild: () => AsyncIterable<VectorSourceRow>;
  /**
   * How many rows `rebuild` would yield, counted the same way (same model). With it, a file that
   * disagrees with the store (an answer stored or evicted after the last save) is rebuilt, and
   * the progress bar knows its end.
   */
  countSource?: () => number | Promise<number>;
  /** Rebuild progress; by default a bar on stderr when it is a terminal. */
  onProgress?: (update: ProgressUpdate) => void;
}

export interface VectorIndexRebuild {
  /** `missing`: first start or deleted file; `damaged`: unreadable, other dimensions; `stale`: disagrees with the store. */
  cause: "missing" | "damaged" | "stale";
  reason: string;
  added: number;
  /** Rows left out: a vector of other dimensions (another model's), a zero vector, an id out of range. */
  skipped: number;
}

export interface OpenedVectorIndex {
  index: HnswVectorIndex;
  /** Set when the file could not be used; a caller logs it (a warning unless `missing`). */
  rebuilt?: VectorIndexRebuild;
}

const DEFAULT_VECTOR_DIMENSIONS = 384;

/**
 * A rebuild saves the new file before returning, so the next start loads it.
 *
 * @example
 * const { index, rebuilt } = await openVectorIndex({
 *   path: join(paths.dataDir, "semantic.hnsw"),
 *   cacheDir: paths.cacheDir,
 *   rebuild: () => embeddings.streamAll(),
 *   countSource: () => embeddings.count(),
 * });
 * if (rebuilt && rebuilt.cause !== "missing") logger.warn("vector index rebuilt", rebuilt);
 */
export async function openVectorIndex(options: OpenVectorIndexOptions): Promise<OpenedVectorIndex> {
  const dimensions = options.dimensions ?? DEFAULT_VECTOR_DIMENSIONS;
  const { addon } = await loadHnswlibAddon(options.cacheDir);
  const expected = options.countSource ? await options.countSource() : undefined;
  const loaded = await HnswVectorIndex.load(addon, { path: options.path, dimensions });
  let cause: VectorIndexRebuild["cause"];
  let reason: string;
  if ("index" in loaded) {
    if (expected === undefined || loaded.index.size === expected) return { index: loaded.index };
    cause = "stale";
    reason = `it holds ${loaded.index.size} entries, the store ${expected}`;
  } else {
    cause = loaded.missing ? "missing" : "damaged";
    reason = loaded.problem;
  }

  const index = HnswVectorIndex.create(addon, { path: options.path, dimensions, capacity: expected });
  const onProgress = options.onProgress ?? createProgressReporter("rebuilding the semantic cache index");
  let added = 0;
  let skipped = 0;
  onProgress({ done: 0, total: expected });
  for await (const row of options.rebuild()) {
    if (addSourceRow(index, row)) added++;
    else skipped++;
    onProgress({ done: added + skipped, total: expected });
  }
  onProgress({ done: added + skipped, total: expected, finished: true });
  await index.save();
  return { index, rebuilt: { cause, reason: `index file ${options.path}: ${reason}`, added, skipped } };
}

function addSourceRow(index: HnswVectorIndex, row: VectorSourceRow): boolean {
  try {
    index.add(row.id, row.vector);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
