/**
 * What `anyclaude doctor` is made of: checks that each yield rows (what was checked, how it
 * went, a hint to fix it), and the table they print as. New checks (the database, the native
 * addons, the embedder) are one more DoctorCheck in a list.
 */
import type { Config } from "../config/config-schema";
import type { DataPaths } from "../config/data-paths";
import { redactSecretsInText } from "../log/redact-log-value";

/** `fail` means something the configuration needs is broken, and doctor exits non-zero. */
type DoctorStatus = "ok" | "warn" | "fail";

export interface DoctorRow {
  check: string;
  status: DoctorStatus;
  detail: string;
  /** What to do about a `warn` or `fail`. */
  fix?: string;
}

export interface DoctorContext {
  config: Config;
  paths: DataPaths;
  env: Record<string, string | undefined>;
}

export interface DoctorCheck {
  name: string;
  run(context: DoctorContext): Promise<DoctorRow[]>;
}

const STATUS_LABELS: Readonly<Record<DoctorStatus, string>> = { ok: "ok", warn: "WARN", fail: "FAIL" };

/**
 * One line per row in aligned columns; a row's fix hint goes on the line under it, in the
 * detail column, so a long hint never widens the table. Secrets are redacted as in the logs
 * (a URL's password, keys, bearer tokens): doctor's output ends up pasted into bug reports.
 *
 * @example
 * formatDoctorTable([{ check: "data dir", status: "fail", detail: "/srv/x: permission denied", fix: "chown it" }]);
 * // "CHECK     STATUS  DETAIL\ndata dir  FAIL    /srv/x: permission denied\n                  fix: chown it\n"
 */
export function formatDoctorTable(rows: readonly DoctorRow[]): string {
  const width = Math.max("CHECK".length, ...rows.map((row) => row.check.length)) + 2;
  const statusWidth = "STATUS".length + 2;
  const lines = [`${"CHECK".padEnd(width)}${"STATUS".padEnd(statusWidth)}DETAIL`];
  for (const row of rows) {
    lines.push(`${row.check.padEnd(width)}${STATUS_LABELS[row.status].padEnd(statusWidth)}${row.detail}`);
    if (row.fix && row.status !== "ok") lines.push(`${" ".repeat(width + statusWidth)}fix: ${row.fix}`);
  }
  return redactSecretsInText(`${lines.join("\n")}\n`);
}

/**
 * Runs a check and turns an exception it did not expect into a failed row, so one broken check
 * cannot hide the others.
 *
 * @example
 * const rows = await runDoctorCheck(DATA_DIR_CHECK, context);
 */
export async function runDoctorCheck(check: DoctorCheck, context: DoctorContext): Promise<DoctorRow[]> {
  try {
    return await check.run(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ check: check.name, status: "fail", detail: `the check itself failed: ${message}`, fix: "report this as a bug in anyclaude" }];
  }
}
