/**
 * Doctor's check of the embedded store: that the database in the data dir opens, passes
 * `PRAGMA quick_check`, and has every migration the binary carries (in the binary: the
 * embedded `drizzle/` folder). A damaged file is moved aside exactly as `serve` would.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { findMigrationsFolder } from "../store/find-migrations-folder";
import { openStore, STORE_FILE_NAME } from "../store/open-store";
import type { DoctorCheck, DoctorRow } from "./doctor-check";

export const DATABASE_CHECK: DoctorCheck = {
  name: "database",
  async run({ paths }): Promise<DoctorRow[]> {
    const check = "database";
    const path = join(paths.dataDir, STORE_FILE_NAME);
    const folder = findMigrationsFolder();
    const where = folder.startsWith("/$bunfs/") ? "embedded" : `from ${folder}`;
    try {
      const available = readdirSync(folder).filter((name) => name.endsWith(".sql")).length;
      const store = openStore({ path, fullCheck: true });
      try {
        const applied = store.sqlite.query<{ count: number }, []>("SELECT count(*) AS count FROM __drizzle_migrations").get()!.count;
        const rows: DoctorRow[] = store.warnings.map((warning) => ({
          check,
          status: "warn",
          detail: warning.message,
          fix: "nothing to do: a fresh database replaced it; attach the moved file to a bug report if this repeats",
        }));
        if (applied > available) {
          rows.push({
            check,
            status: "warn",
            detail: `${path}: ${applied} migrations applied, this binary knows ${available} (${where})`,
            fix: "a newer anyclaude wrote this database; upgrade, or remove the file to start an empty cache",
          });
        } else {
          rows.push({ check, status: "ok", detail: `${path}, ${applied} of ${available} migrations applied (${where})` });
        }
        return rows;
      } finally {
        store.close();
      }
    } catch (error) {
      return [
        {
          check,
          status: "fail",
          detail: `${path}: ${(error as Error).message}`,
          fix: "check the data dir row above; choose another with --data-dir or paths.dataDir",
        },
      ];
    }
  },
};
