/**
 * Doctor's checks of what the binary carries and where it writes: the files of its web pages
 * (Swagger UI for /docs, the dashboard and uPlot), the data and cache directories, the database (opens, migrations apply), and the native
 * addons (hnswlib-node, onnxruntime-node with libonnxruntime.so.1).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DASHBOARD_ASSETS, DASHBOARD_PAGE } from "../server/dashboard-assets";
import type { EmbeddedAsset } from "../server/embedded-asset";
import { SWAGGER_UI_ASSETS } from "../server/swagger-ui-assets";
import type { DoctorCheck, DoctorRow } from "./doctor-check";
import { DATABASE_CHECK } from "./doctor-database-check";
import { VECTOR_INDEX_CHECK } from "./doctor-vector-index-check";

const PAGE_ASSETS: ReadonlyArray<{ page: string; asset: EmbeddedAsset }> = [
  ...Object.values(SWAGGER_UI_ASSETS).map((asset) => ({ page: "/docs", asset })),
  ...[DASHBOARD_PAGE, ...DASHBOARD_ASSETS].map((asset) => ({ page: "/dashboard", asset })),
];

const WEB_PAGES_CHECK: DoctorCheck = {
  name: "web pages",
  async run() {
    return Promise.all(
      PAGE_ASSETS.map(async ({ page, asset }): Promise<DoctorRow> => {
        const check = `${page} ${asset.name}`;
        const where = asset.path.startsWith("/$bunfs/") ? "embedded" : `from ${asset.path}`;
        try {
          const bytes = await Bun.file(asset.path).bytes();
          if (bytes.length === 0) throw new Error("the file is empty");
          return { check, status: "ok", detail: `${where}, ${formatSize(bytes.length)}` };
        } catch (error) {
          return { check, status: "fail", detail: `${where}: ${(error as Error).message}`, fix: "rebuild the binary with `bun run build`" };
        }
      }),
    );
  },
};

const DATA_DIR_CHECK: DoctorCheck = {
  name: "data dir",
  run: async ({ paths }) => [checkWritableDirectory("data dir", paths.dataDir, "--data-dir or paths.dataDir")],
};

const CACHE_DIR_CHECK: DoctorCheck = {
  name: "cache dir",
  run: async ({ paths }) => [checkWritableDirectory("cache dir", paths.cacheDir, "--cache-dir or paths.cacheDir")],
};

/** In the order doctor prints them. */
export const BINARY_CHECKS: readonly DoctorCheck[] = [WEB_PAGES_CHECK, DATA_DIR_CHECK, CACHE_DIR_CHECK, DATABASE_CHECK, VECTOR_INDEX_CHECK];

/**
 * Creates the directory if needed (serve would) and writes and removes a file in it: only a
 * real write shows a read-only mount or a systemd sandbox that left it out of ReadWritePaths.
 */
function checkWritableDirectory(check: string, dir: string, setting: string): DoctorRow {
  const probe = join(dir, `.anyclaude-doctor-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, "");
    rmSync(probe);
    return { check, status: "ok", detail: `${dir} (writable)` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fixes: Record<string, string> = {
      EACCES: `give this user write access (chown), or choose another directory with ${setting}`,
      EROFS: `the file system is read-only here; under systemd add the directory to ReadWritePaths=, or choose another with ${setting}`,
      ENOTDIR: `part of the path is a file; choose another directory with ${setting}`,
    };
    return {
      check,
      status: "fail",
      detail: `${dir}: ${(error as Error).message}`,
      fix: fixes[code ?? ""] ?? `choose another directory with ${setting}`,
    };
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
