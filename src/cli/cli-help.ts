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
  const rows: [string, string][] = [
    ["-c, --config FILE", "YAML or JSON config file (default: ~/.config/anyclaude/config.yaml, if it exists)."],
    ...CONFIG_FLAGS.map((flag): [string, string] => [`    --${flag.name} ${flag.valueName}`, flag.description]),
    ["-h, --help", "Show this help"],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const options = rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n");
  return `Usage: anyclaude serve [options]

Start the Anthropic Messages proxy in front of local models. Without a backend in the config,
the environment or the flags, it looks for one on the usual local ports.

Options:
${options}

Settings apply in this order, later winning: schema defaults, config file, ANYCLAUDE_*
environment variables, flags. Every setting is described in docs/configuration.md.
`;
}
