import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manifestPathOf } from "../../../src/cache/hnsw-index-file";
import { type OpenVectorIndexOptions, openVectorIndex, type VectorSourceRow } from "../../../src/cache/open-vector-index";
import type { ProgressUpdate } from "../../../src/log/format-progress-line";
import { createRandomVectors } from "../../support/random-vectors";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-open-index-"));
const cacheDir = join(dir, "cache");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let cases = 0;

const DIMENSIONS = 32;
const random = createRandomVectors(21, DIMENSIONS);
/** The store's rows: the source of truth the index is rebuilt from. */
const rows: VectorSourceRow[] = Array.from({ length: 400 }, (_, i) => ({ id: 1000 + i, vector: random.clustered() }));
const queries = Array.from({ length: 40 }, () => random.clustered());

async function* streamRows(source: readonly VectorSourceRow[]): AsyncIterable<VectorSourceRow> {
  yield* source;
}

function options(path: string, overrides: Partial<OpenVectorIndexOptions> = {}): OpenVectorIndexOptions {
  return {
    path,
    dimensions: DIMENSIONS,
    cacheDir,
    rebuild: () => streamRows(rows),
    countSource: () => rows.length,
    onProgress: () => {},
    ...overrides,
  };
}

/** A saved index of `rows`, and what it answered to `queries` before anything happened to the file. */
async function savedIndex() {
  const path = join(dir, `case-${++cases}`, "semantic.hnsw");
  const { index } = await openVectorIndex(options(path));
  await index.save();
  return { path, answers: queries.map((query) => index.search(query, 3)) };
}

/** Opening must not read the store when the file is sound. */
const refuseRebuild = () => {
  throw new Error("rebuild was called");
};

describe("openVectorIndex", () => {
  test("a sound file loads without reading the store, and answers as before", async () => {
    const { path, answers } = await savedIndex();
    const opened = await openVectorIndex(options(path, { rebuild: refuseRebuild }));
    expect(opened.rebuilt).toBeUndefined();
    expect(opened.index.size).toBe(rows.length);
    expect(queries.map((query) => opened.index.search(query, 3))).toEqual(answers);
  });

  test("missing file: rebuilt from the store, saved, and loaded on the next start", async () => {
    const path = join(dir, "fresh", "semantic.hnsw");
    const opened = await openVectorIndex(options(path));
    expect(opened.rebuilt).toMatchObject({ cause: "missing", added: rows.length, skipped: 0 });
    expect(opened.rebuilt!.reason).toContain(`no index file at ${path}`);
    expect(existsSync(path) && existsSync(manifestPathOf(path))).toBe(true);
    for (const row of rows.slice(0, 20)) expect(opened.index.search(row.vector, 1)[0]!.id).toBe(row.id);
    const again = await openVectorIndex(options(path, { rebuild: refuseRebuild }));
    expect(again.rebuilt).toBeUndefined();
  });

  const damages: Array<[string, (path: string) => void, string]> = [
    [
      "garbage in place of the index",
      (path) => writeFileSync(path, crypto.getRandomValues(new Uint8Array(statSync(path).size))),
      "checksum does not match",
    ],
    ["a truncated index", (path) => truncateSync(path, Math.floor(statSync(path).size / 2)), "bytes long, the manifest says"],
    ["one flipped byte in the graph", (path) => flipByte(path, Math.floor(statSync(path).size * 0.7)), "checksum does not match"],
    ["an empty index file", (path) => writeFileSync(path, ""), "0 bytes long"],
    ["a manifest that is not JSON", (path) => writeFileSync(manifestPathOf(path), "{ half"), "manifest is not JSON"],
    ["no manifest", (path) => rmSync(manifestPathOf(path)), "no manifest beside it"],
    [
      "a manifest whose entry count disagrees with the file",
      (path) => editManifest(path, { entries: 7 }),
      `holds ${rows.length} live entries, its manifest says 7`,
    ],
  ];
  for (const [name, damage, problem] of damages) {
    test(`${name}: rebuilt, and the rebuilt index answers the same`, async () => {
      const { path, answers } = await savedIndex();
      damage(path);
      const progress: ProgressUpdate[] = [];
      const opened = await openVectorIndex(options(path, { onProgress: (update) => progress.push(update) }));
      expect(opened.rebuilt).toMatchObject({ cause: "damaged", added: rows.length, skipped: 0 });
      expect(opened.rebuilt!.reason).toContain(problem);
      expect(queries.map((query) => opened.index.search(query, 3))).toEqual(answers);
      expect(progress.at(-1)).toEqual({ done: rows.length, total: rows.length, finished: true });
      expect((await openVectorIndex(options(path, { rebuild: refuseRebuild }))).rebuilt).toBeUndefined();
    });
  }

  test("a file of other dimensions: rebuilt at the requested dimensions from the store's rows", async () => {
    const { path } = await savedIndex();
    const wider = createRandomVectors(22, 48);
    const widerRows = rows.map((row) => ({ id: row.id, vector: wider.clustered() }));
    const opened = await openVectorIndex(options(path, { dimensions: 48, rebuild: () => streamRows(widerRows) }));
    expect(opened.rebuilt).toMatchObject({ cause: "damaged", added: rows.length });
    expect(opened.rebuilt!.reason).toContain(`it holds ${DIMENSIONS}-dimensional vectors, not 48`);
    expect(opened.index.dimensions).toBe(48);
    expect(opened.index.search(widerRows[3]!.vector, 1)[0]!.id).toBe(widerRows[3]!.id);
  });

  test("a file that disagrees with the store's count: rebuilt as stale", async () => {
    const { path } = await savedIndex();
    const fewer = rows.slice(0, 350);
    const opened = await openVectorIndex(options(path, { rebuild: () => streamRows(fewer), countSource: async () => fewer.length }));
    expect(opened.rebuilt).toMatchObject({ cause: "stale", added: 350 });
    expect(opened.rebuilt!.reason).toContain(`it holds ${rows.length} entries, the store 350`);
    expect(opened.index.size).toBe(350);
  });

  test("without countSource a sound file is trusted, and progress has no total", async () => {
    const { path } = await savedIndex();
    const trusted = await openVectorIndex(options(path, { countSource: undefined, rebuild: refuseRebuild }));
    expect(trusted.rebuilt).toBeUndefined();
    const progress: ProgressUpdate[] = [];
    const fresh = await openVectorIndex(
      options(join(dir, "no-count", "semantic.hnsw"), { countSource: undefined, onProgress: (update) => progress.push(update) }),
    );
    expect(fresh.rebuilt?.added).toBe(rows.length);
    expect(progress[0]).toEqual({ done: 0, total: undefined });
    expect(progress.at(-1)).toEqual({ done: rows.length, total: undefined, finished: true });
    expect(progress.length).toBe(rows.length + 2);
  });

  test("rows the index cannot hold are skipped and counted: other dimensions, zero vectors", async () => {
    const odd = [
      ...rows.slice(0, 10),
      { id: 1, vector: new Float32Array(DIMENSIONS + 1).fill(1) },
      { id: 2, vector: new Float32Array(DIMENSIONS) },
    ];
    const opened = await openVectorIndex(
      options(join(dir, "odd", "semantic.hnsw"), { rebuild: () => streamRows(odd), countSource: () => odd.length }),
    );
    expect(opened.rebuilt).toMatchObject({ added: 10, skipped: 2 });
    expect(opened.index.size).toBe(10);
  });

  test("an error from the store's rows fails the open instead of leaving a partial index", async () => {
    async function* failing(): AsyncIterable<VectorSourceRow> {
      yield rows[0]!;
      throw new Error("database is locked");
    }
    const path = join(dir, "failing", "semantic.hnsw");
    await expect(openVectorIndex(options(path, { rebuild: failing }))).rejects.toThrow("database is locked");
    expect(existsSync(path)).toBe(false);
  });
});

function flipByte(path: string, offset: number) {
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset]! ^ 0xff;
  writeFileSync(path, bytes);
}

function editManifest(path: string, changes: Record<string, unknown>) {
  const manifest = JSON.parse(readFileSync(manifestPathOf(path), "utf8")) as Record<string, unknown>;
  writeFileSync(manifestPathOf(path), JSON.stringify({ ...manifest, ...changes }));
}
