/**
 * anyclaude's logger: levels, one line per record in text or JSON, context fields carried by
 * child loggers, and secrets redacted before anything is written.
 */
import type { LogFormat, LogLevel } from "../config/config-choices";
import { formatLogLineAsJson, formatLogLineAsText } from "./format-log-line";
import { redactLogValue, redactSecretsInText } from "./redact-log-value";

type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record, e.g. `{ requestId }`; its own fields win on a clash. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Least severe level written. */
  level: LogLevel;
  format: LogFormat;
  /** Receives each line without its newline. Default: stderr. */
  write?: (line: string) => void;
  /** Colour the level word in text lines; the CLI turns it on only for a terminal. Default false. */
  color?: boolean;
  now?: () => Date;
}

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * @example
 * const logger = createLogger({ level: "info", format: "text" });
 * logger.child({ requestId: "req_1" }).warn("backend slow", { backend: "llama", ms: 5120 });
 * // stderr: warn backend slow requestId=req_1 backend=llama ms=5120
 */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const threshold = SEVERITY[options.level];
  const color = options.color ?? false;

  // Fields are merged and redacted only once a record passes the level, so debug calls are cheap.
  const emit = (level: LogLevel, message: string, base: LogFields, fields: LogFields | undefined) => {
    if (SEVERITY[level] < threshold) return;
    const safeFields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...base, ...fields })) safeFields[key] = redactLogValue(key, value);
    const record = { time: now(), level, message: redactSecretsInText(message), fields: safeFields };
    write(options.format === "json" ? formatLogLineAsJson(record) : formatLogLineAsText(record, color));
  };

  const withFields = (base: LogFields): Logger => ({
    debug: (message, fields) => emit("debug", message, base, fields),
    info: (message, fields) => emit("info", message, base, fields),
    warn: (message, fields) => emit("warn", message, base, fields),
    error: (message, fields) => emit("error", message, base, fields),
    child: (fields) => withFields({ ...base, ...fields }),
  });
  return withFields({});
}
