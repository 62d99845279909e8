/**
 * `anyclaude prompt show [--tier TIER] [--json] < request.json`: what prompt slimming makes of
 * a Messages request, through the same normalization, rules and gate `serve` uses, so a tier
 * or a rule can be tried on a recorded request before it is configured.
 */
import { PROMPT_TIERS, type PromptTier } from "../config/prompt-config-schema";
import { ProxyError } from "../errors/proxy-error";
import { formatSlimmedPrompt } from "../prompt/format-slimmed-prompt";
import { PromptOptimizer } from "../prompt/prompt-optimizer";
import { validateMessageCreate } from "../server/validate-message-request";
import { normalizeAnthropicRequest } from "../translate/normalize-anthropic-request";
import { formatPromptHelp } from "./cli-help";
import { type CliIo, EXIT_FAILURE, EXIT_OK, reportUsageError } from "./cli-io";
import { CONFIG_OPTIONS, loadCommandConfig, readCommandOptions } from "./read-command-options";

const SHOW_OPTIONS = { ...CONFIG_OPTIONS, tier: { type: "string" }, json: { type: "boolean" } } as const;

/**
 * @example
 * process.exitCode = await runPromptFromArgs(["show", "--tier", "moderate"], io);
 */
export async function runPromptFromArgs(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === "--help" || action === "-h") {
    io.stdout(formatPromptHelp());
    return EXIT_OK;
  }
  if (action !== "show") {
    const problem = action === undefined ? "prompt: missing action (show)" : `prompt: unknown action '${action}'`;
    return reportUsageError(problem, "anyclaude prompt --help", io);
  }
  const values = readCommandOptions("prompt show", rest, SHOW_OPTIONS, io);
  if (typeof values === "number") return values;
  if (values.help) {
    io.stdout(formatPromptHelp());
    return EXIT_OK;
  }
  const tier = values.tier as string | undefined;
  if (tier !== undefined && !(PROMPT_TIERS as readonly string[]).includes(tier)) {
    return reportUsageError(`prompt show: --tier must be one of ${PROMPT_TIERS.join(", ")}, not '${tier}'`, "anyclaude prompt --help", io);
  }
  const config = loadCommandConfig(values, io);
  if (typeof config === "number") return config;
  if (io.readStdin === undefined)
    return reportUsageError("prompt show: no standard input to read the request from", "anyclaude prompt --help", io);
  let request: ReturnType<typeof validateMessageCreate>;
  try {
    request = validateMessageCreate(JSON.parse(await io.readStdin()));
  } catch (error) {
    if (!(error instanceof SyntaxError || error instanceof ProxyError)) throw error;
    io.stderr(`anyclaude: prompt show: the request on standard input is not a valid Messages request: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const normalized = normalizeAnthropicRequest(request, config.claudeCode).value;
  const optimizer = new PromptOptimizer({ rules: config.prompt.rules, deferTools: config.prompt.deferTools });
  const slimmed = optimizer.slim(normalized, (tier as PromptTier | undefined) ?? config.prompt.tier);
  if (values.json) {
    if (slimmed.gateFailure !== undefined)
      io.stderr(`anyclaude: prompt show: gate failed, request left untouched: ${slimmed.gateFailure}\n`);
    const { before, after, removed } = slimmed;
    io.stdout(`${JSON.stringify({ tier: slimmed.tier, before, after, request: slimmed.request, removed })}\n`);
  } else io.stdout(formatSlimmedPrompt(slimmed));
  return EXIT_OK;
}
