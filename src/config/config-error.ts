/**
 * The one error of configuration loading. It lists every problem found, each with the field's
 * path and the source that set it, so a single run shows everything there is to fix.
 */

export interface ConfigIssue {
  /** The field, e.g. `backends[0].url`; empty when a whole source is at fault (an unreadable file). */
  path: string;
  /** What was expected and what was found. */
  message: string;
  /** Where the value came from, e.g. `config.yaml line 4`, `env ANYCLAUDE_PORT`, `flag --port`. */
  source?: string;
}

/**
 * @example
 * throw new ConfigError([{ path: "server.port", message: 'expected integer, found "abc"', source: "env ANYCLAUDE_PORT" }]);
 * // message:
 * // invalid configuration (1 problem):
 * //   - server.port: expected integer, found "abc" (env ANYCLAUDE_PORT)
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[], options?: { cause?: unknown }) {
    super(formatConfigIssues(issues), options);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return [`invalid configuration (${count}):`, ...issues.map((issue) => `  - ${formatConfigIssue(issue)}`)].join("\n");
}

function formatConfigIssue({ path, message, source }: ConfigIssue): string {
  if (path === "") return source ? `${source}: ${message}` : message;
  return source ? `${path}: ${message} (${source})` : `${path}: ${message}`;
}
