/**
 * What a CLI command receives from its process and what it returns: the environment, the two
 * output streams and a sysexits-style status, so commands never touch `process` themselves.
 */

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal, which decides colours in text logs. */
  stderrIsTerminal: boolean;
  /** All of standard input, for the commands that read it (`prompt show`); absent where there is none. */
  readStdin?: () => Promise<string>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad command line: unknown command or option, missing option value. */
const EXIT_USAGE = 2;
/** EX_CONFIG from sysexits.h: the configuration is invalid; systemd shows it as such. */
export const EXIT_CONFIG = 78;

/**
 * Prints a command-line mistake and where to read the usage, and gives the usage status.
 *
 * @example
 * return reportUsageError("unknown option '--prot'", "anyclaude serve --help", io); // 2
 */
export function reportUsageError(problem: string, helpCommand: string, io: CliIo): number {
  io.stderr(`anyclaude: ${problem}\nRun '${helpCommand}' for usage.\n`);
  return EXIT_USAGE;
}

/** Node's parseArgs reports command-line mistakes as TypeErrors with an ERR_PARSE_ARGS_* code. */
export function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * parseArgs' message, cut to its first sentence: the advice it appends about `--` concerns
 * positional arguments, which anyclaude does not take.
 *
 * @example
 * describeParseArgsError(error); // "unknown option '--prot'"
 */
export function describeParseArgsError(error: Error): string {
  const sentence = error.message.replace(/\. To specify a positional argument[\s\S]*$/, "");
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
