/**
 * Renders one log record as one line: `level message key=value ...` for people and journald,
 * or one JSON object for log shippers. Fields arrive already made safe by redactLogValue.
 */
import type { LogLevel } from "../config/config-choices";
import { LoggedError } from "./redact-log-value";

export interface LogRecord {
  time: Date;
  level: LogLevel;
  message: string;
  fields: Readonly<Record<string, unknown>>;
}

const LEVEL_COLORS: Readonly<Record<LogLevel, string>> = { debug: "90", info: "32", warn: "33", error: "31" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what forces quoting
const BARE_TEXT = /^[^\s"=\\\x00-\x1f\x7f]+$/;
const RECORD_KEYS = new Set(["time", "level", "msg"]);

/**
 * No timestamp in text: journald and terminals' scrollback stamp lines themselves.
 *
 * @example
 * formatLogLineAsText({ time, level: "info", message: "listening", fields: { port: 8082, host: "127.0.0.1" } }, false);
 * // "info listening port=8082 host=127.0.0.1"
 */
export function formatLogLineAsText(record: LogRecord, color: boolean): string {
  const level = color ? `\x1b[${LEVEL_COLORS[record.level]}m${record.level}\x1b[0m` : record.level;
  let line = `${level} ${escapeLineBreaks(record.message)}`;
  for (const [key, value] of Object.entries(record.fields)) {
    if (value !== undefined) line += ` ${key}=${formatTextValue(value)}`;
  }
  return line;
}

/**
 * A field named like a record key keeps its value under `field.<name>` rather than overwrite
 * the record's own time, level or message.
 *
 * @example
 * formatLogLineAsJson({ time, level: "warn", message: "slow backend", fields: { ms: 812 } });
 * // '{"time":"2026-01-01T00:00:00.000Z","level":"warn","msg":"slow backend","ms":812}'
 */
export function formatLogLineAsJson(record: LogRecord): string {
  const object: Record<string, unknown> = { time: record.time.toISOString(), level: record.level, msg: record.message };
  for (const [key, value] of Object.entries(record.fields)) {
    object[RECORD_KEYS.has(key) ? `field.${key}` : key] = value;
  }
  return JSON.stringify(object);
}

function formatTextValue(value: unknown): string {
  if (value instanceof LoggedError) return quoteIfNeeded(value.toString());
  if (typeof value === "string") return quoteIfNeeded(value);
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

function quoteIfNeeded(text: string): string {
  return BARE_TEXT.test(text) ? text : JSON.stringify(text);
}

function escapeLineBreaks(text: string): string {
  return text.replaceAll("\r", "\\r").replaceAll("\n", "\\n");
}
