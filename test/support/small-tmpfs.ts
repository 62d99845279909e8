/**
 * A small tmpfs mounted for one test (root only), to put anyclaude's data dir on a disk that can
 * be filled to the last byte, freed again, or remounted read-only and back.
 */
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SmallTmpfs {
  dir: string;
  /** Writes a filler file until the disk answers ENOSPC. */
  fill(): void;
  /** Removes the filler. */
  free(): void;
  /** Read-only needs every file on it closed for writing: a closed bun:sqlite database's file stays open until its statements are collected, so this collects and tries again. */
  remount(mode: "ro" | "rw"): Promise<void>;
  unmount(): void;
}

function run(command: string[]): { ok: boolean; output: string } {
  const result = Bun.spawnSync(command, { stdout: "pipe", stderr: "pipe" });
  return { ok: result.exitCode === 0, output: `${result.stdout.toString()}${result.stderr.toString()}` };
}

/**
 * Undefined when this process may not mount (not root, or no mount in this container); the
 * caller skips and says so.
 *
 * @example
 * const disk = mountSmallTmpfs(8);
 * disk?.fill(); // every write on it now fails with ENOSPC
 */
export function mountSmallTmpfs(megabytes: number): SmallTmpfs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-tmpfs-"));
  if (!run(["mount", "-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir]).ok) {
    rmdirSync(dir);
    return undefined;
  }
  const filler = join(dir, "filler");
  return {
    dir,
    fill() {
      const fd = openSync(filler, "a");
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      }
      // The last partial block: every byte the disk has left.
      try {
        for (;;) writeSync(fd, block, 0, 1);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    async remount(mode) {
      let result = run(["mount", "-o", `remount,${mode}`, dir]);
      for (let attempt = 0; !result.ok && attempt < 20; attempt++) {
        Bun.gc(true);
        await Bun.sleep(50);
        result = run(["mount", "-o", `remount,${mode}`, dir]);
      }
      if (!result.ok) throw new Error(`remount ${mode} failed: ${result.output}`);
    },
    unmount() {
      run(["umount", "-l", dir]);
      rmdirSync(dir);
    },
  };
}
