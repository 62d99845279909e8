/**
 * The help texts of the anyclaude command. Serve's option list is built from the same table
 * that reads the flags, so help cannot list an option that does not exist, or miss one.
 */
import { CONFIG_FLAGS } from "../config/read-config-flags";
import { VERSION } from "./version";

/**
 * @example
 * io.stdout(formatMainHelp()); // "anyclaude 0.1.0: run Claude Code on local models\n\nUsage: ..."
 */
export function formatMainHelp(): string {
  return `anyclaude ${VERSION}: run Claude Code on local models (llama-server, Ollama, LM Studio, vLLM)

Usage:
  anyclaude <command> [options]

Commands:
  serve            Start the proxy Claude Code talks to
  doctor           Check the binary, its directories and every backend; print fixes
  service          Install or remove the systemd unit that runs serve
  models pull      Download the embedding model the semantic cache uses
  cache stats      What the response cache holds, its hits, misses and savings
  cache clear      Empty the response cache (exact and semantic)
  prompt show      What prompt slimming makes of a request read on standard input
  stats            What the proxy did over the last hour and day (also at /dashboard)
  keys             Add, list and revoke the client keys teammates use (anyclaude keys --help)
  help [command]   Show help for anyclaude or a command

Options:
  -h, --help       Show this help
  -v, --version    Show the version and commit

Quick start:
  anyclaude serve --backend http://127.0.0.1:8080
  ANTHROPIC_BASE_URL=http://127.0.0.1:8082 claude
`;
}

/**
 * @example
 * io.stdout(formatServeHelp()); // "Usage: anyclaude serve [options]\n..."
 */
export function formatServeHelp(): string {
  const options = formatOptions([]);
  return `Usage: anyclaude serve [options]

Start the Anthropic Messages proxy in front of local models.

Backends: --backend (repeatable), ANYCLAUDE_BACKENDS or the config file. Without any, it probes
127.0.0.1 ports 11434, 8080, 1234 and 8000 (discovery.ports) at start-up and keeps probing while
it runs, so an engine started later is used without a restart.

Failover: several backends back each other up. A request goes first to the backends serving its
model, in the order given (for Claude models: the first backend, the primary), then to the
others. A backend that fails before answering is retried, then the next one takes over; it gets
requests again once it answers and its circuit cool-off (circuitBreaker.cooldownMs) is over.
modelGroups or routes in the config replace this order.

Options:
${options}

Settings apply in this order, later winning: schema defaults, config file, ANYCLAUDE_*
environment variables, flags. Every setting is described in docs/configuration.md.
`;
}

/**
 * @example
 * io.stdout(formatDoctorHelp()); // "Usage: anyclaude doctor [options]\n..."
 */
export function formatDoctorHelp(): string {
  return `Usage: anyclaude doctor [options]

Checks what anyclaude needs, with the configuration serve would use: the files the binary
carries, that the data and cache directories are writable, and each backend (what answers,
its models, native /v1/messages, context window). Prints a table with a fix under every
failed line. Exit status: 0 all good (warnings allowed), 1 a check failed, 78 bad configuration.

Options (the same as serve's; see anyclaude serve --help):
${formatOptions([])}
`;
}

/**
 * @example
 * io.stdout(formatServiceHelp()); // "Usage: anyclaude service install [--user] [options]\n..."
 */
export function formatServiceHelp(): string {
  const options = formatOptions([
    ["    --user", "A unit of your own user's systemd (~/.config/systemd/user) instead of the system's"],
    ["    --no-systemctl", "Only write or remove the unit file; print the systemctl commands"],
  ]);
  return `Usage: anyclaude service install [--user] [options]
       anyclaude service uninstall [--user] [--no-systemctl]

install writes a hardened systemd unit running '<this binary> serve', then runs systemctl
daemon-reload and enable --now when systemd runs this machine (otherwise it prints them).
A system unit keeps its data in /var/lib/anyclaude, its cache in /var/cache/anyclaude and
reads /etc/anyclaude/config.yaml; it must be installed as root. Configuration flags given to
install are passed on to serve in the unit. uninstall stops, disables and removes the unit
and leaves the data in place.

Options:
${options}
`;
}

function formatOptions(extra: [string, string][]): string {
  const rows: [string, string][] = [
    ["-c, --config FILE", "YAML or JSON config file (default: ~/.config/anyclaude/config.yaml, if it exists)."],
    ...CONFIG_FLAGS.map((flag): [string, string] => [
      `    --${flag.name}${flag.valueName === undefined ? "" : ` ${flag.valueName}`}`,
      flag.description,
    ]),
    ...extra,
    ["-h, --help", "Show this help"],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n");
}

/**
 * @example
 * io.stdout(formatModelsHelp()); // "Usage: anyclaude models pull [--url URL] [--sha256 HEX] [options]\n..."
 */
export function formatModelsHelp(): string {
  const options = formatOptions([
    ["    --url URL", "Where to download from (default: sentence-transformers' all-MiniLM-L6-v2 ONNX export)"],
    ["    --sha256 HEX", "The SHA-256 the file must have; checked besides any the host states"],
  ]);
  return `Usage: anyclaude models pull [--url URL] [--sha256 HEX] [options]

Downloads all-MiniLM-L6-v2 (ONNX, about 90 MB) into <cache dir>/models/, where the semantic
cache's embedder finds it. The file is checked against the SHA-256 the host states and the one
given with --sha256, and kept only if every check passes; what was checked is recorded in
all-MiniLM-L6-v2.onnx.json beside it. Without any hash to check, the file is kept and its
SHA-256 printed so you can compare it with the publisher's. A progress bar shows on a terminal; elsewhere, a line every 10 s.

Options:
${options}
`;
}

/**
 * @example
 * io.stdout(formatCacheHelp()); // "Usage: anyclaude cache stats [--json] [options]\n..."
 */
export function formatCacheHelp(): string {
  const options = formatOptions([["    --json", "stats: print the report as JSON (the same object GET /v1/cache/stats returns)"]]);
  return `Usage: anyclaude cache stats [--json] [options]
       anyclaude cache clear [options]

stats prints what the response cache holds (answers and bytes in its store, semantic entries)
and its counters today and over every day kept: hits, semantic hits, misses, bypasses, store
errors, bytes and tokens saved, mean lookup time. clear deletes every cached answer, exact and
semantic, and keeps the counters; with cache.store redis it empties the shared Redis prefix for
every instance. Both read the same configuration as serve and work while it runs.

Options:
${options}
`;
}

/**
 * @example
 * io.stdout(formatPromptHelp()); // "Usage: anyclaude prompt show [--tier TIER] [--json] [options] < request.json\n..."
 */
export function formatPromptHelp(): string {
  const options = formatOptions([
    ["    --tier TIER", "off, safe, moderate or aggressive (default: the configured prompt.tier)"],
    ["    --json", 'Print one object: {"tier", "before", "after", "request", "removed"}'],
  ]);
  return `Usage: anyclaude prompt show [--tier TIER] [--json] [options] < request.json

Reads a Messages request (as Claude Code sends it) on standard input, normalizes it as serve
does, slims its system prompt and tool definitions at TIER with the configured prompt.rules,
checks the result through the same gate, and prints the system prompt and tool descriptions
the engine would read, then every removal with its reason. before and after are estimated
tokens of the system prompt and tools. When the gate refuses the result, the request is shown
untouched and the reason is printed.

Options:
${options}
`;
}

/**
 * @example
 * io.stdout(formatStatsHelp()); // "Usage: anyclaude stats [--url URL] [--key KEY] [--json] [options]\n..."
 */
export function formatStatsHelp(): string {
  const options = formatOptions([
    ["    --url URL", "Ask this anyclaude (http://host:port) instead of the one the configuration names"],
    ["    --key KEY", "The client key to send; default server.apiKey, else ANTHROPIC_API_KEY"],
    ["    --json", "Print {source, hour, day}, each the object GET /api/stats returns"],
  ]);
  return `Usage: anyclaude stats [--url URL] [--key KEY] [--json] [options]

Prints what the proxy did over the last hour and the last day, as /dashboard shows it: requests,
errors, fallbacks, cache hit rate and the time it saved, latency and time to first token (p50,
p95), tokens and generation speed, and per backend. It asks the running server at the address
the configuration gives (server.host, server.port), sending a client key when there is one:
--key, else server.apiKey, else ANTHROPIC_API_KEY (a key from \`anyclaude keys add\`, as Claude
Code sends it). When nothing listens there, it reads the request history in the data dir's
database file, which lacks the backends' live state and the last seconds' requests
(history.flushIntervalMs).

Options:
${options}
`;
}

/**
 * @example
 * io.stdout(formatKeysHelp()); // "Usage: anyclaude keys add NAME | list [--json] | revoke NAME | hash\n..."
 */
export function formatKeysHelp(): string {
  const options = formatOptions([["    --json", "list: print an array of {name, source, createdAt, lastUsedAt}"]]);
  return `Usage: anyclaude keys add NAME | list [--json] | revoke NAME | hash [options]

Client keys let several people share one anyclaude, each with a name in the log, the metrics and
the history, and limits of their own (server.keyLimits, server.keys.NAME.limits). They are kept
in the data dir's database as SHA-256 hashes; a running server on the same data dir accepts a
key added here and refuses one revoked here from its next request on. With any key, every client
must send one (ANTHROPIC_API_KEY), and the dashboard asks for one at /login.

  add NAME     Make a key and print it once, alone on the last line of the output
  list         Names, where each is kept, when made and last used; never a key
  revoke NAME  Delete a stored key (a key in the configuration is removed there)
  hash         Print the hash of a key read on standard input, for server.keys.NAME.hash

Options:
${options}
`;
}
