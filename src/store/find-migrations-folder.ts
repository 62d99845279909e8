/**
 * Where the drizzle-kit migrations are: the build embeds the repository's `drizzle/` folder in
 * the binary (EMBEDDED_ASSET_DIRS in build.ts), where it appears at `/$bunfs/root/drizzle`;
 * run from source, the folder is two levels above this file.
 */
import { join } from "node:path";

const EMBEDDED_MIGRATIONS = "/$bunfs/root/drizzle";

/**
 * `import.meta.dir` rather than `Bun.main`: under `bun test` the main module is the test file,
 * while this module's own location always tells whether it was compiled into a binary.
 *
 * @example
 * findMigrationsFolder(); // "/home/me/anyclaude/drizzle" from source, "/$bunfs/root/drizzle" in the binary
 */
export function findMigrationsFolder(moduleDir: string = import.meta.dir): string {
  return moduleDir.startsWith("/$bunfs/") ? EMBEDDED_MIGRATIONS : join(moduleDir, "../../drizzle");
}
