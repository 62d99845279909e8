/**
 * Prompt slimming as the server uses it: slim, check through the gate, and remember the result
 * by a hash of what went in, so the same prompt becomes the same bytes on every turn (the
 * engine's KV cache keeps reusing it) at the cost of a lookup. The server creates one and
 * passes it down; the memo is its own, bounded, least recently used first out.
 */
import { deepFreeze } from "../json/deep-freeze";
import type { MessageCreateParams, TextBlockParam, ToolParam } from "../protocol/anthropic/messages";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import type { TranslationWarning } from "../translate/translation-warning";
import { findGateFailure } from "./check-slimmed-prompt";
import { findLoadedToolNames } from "./defer-tools";
import { compilePromptRules, type PromptRule, type PromptRules } from "./match-prompt-rules";
import type { PromptRemoval } from "./prompt-removal";
import type { PromptTier } from "./prompt-tier";
import { type PromptParts, slimPrompt } from "./slim-prompt";

export interface PromptOptimizerOptions {
  rules: readonly PromptRule[];
  /** Tools `aggressive` defers (when ToolSearch can load them). */
  deferTools: readonly string[];
  /** Slimmed prompts remembered; default 64. */
  memoEntries?: number;
}

export interface SlimmedRequest {
  tier: PromptTier;
  /** The request with its system prompt and tools slimmed; the request itself when the tier is off or the gate failed. */
  request: MessageCreateParams;
  /** Estimated tokens of system prompt and tools, before and after. */
  before: number;
  after: number;
  removed: readonly PromptRemoval[];
  deferred: readonly string[];
  /** Why the gate refused the slimmed prompt; the request then went out untouched. */
  gateFailure?: string;
  warnings: readonly TranslationWarning[];
}

type Remembered = Omit<SlimmedRequest, "request" | "tier"> & { parts?: PromptParts };

const DEFAULT_MEMO_ENTRIES = 64;

export class PromptOptimizer {
  readonly #rules: PromptRules;
  readonly #deferTools: readonly string[];
  readonly #memoEntries: number;
  readonly #memo = new Map<string, Remembered>();
  /** Hashes of frozen tool lists: Claude Code's arrive as the same frozen list every turn (ReusingJsonParser). */
  readonly #toolHashes = new WeakMap<object, string>();

  constructor(options: PromptOptimizerOptions) {
    this.#rules = compilePromptRules(options.rules);
    this.#deferTools = options.deferTools;
    this.#memoEntries = options.memoEntries ?? DEFAULT_MEMO_ENTRIES;
  }

  /**
   * Never throws for a prompt it cannot slim: the gate turns any such case into the untouched
   * request with `gateFailure` set.
   *
   * @example
   * const slimmed = optimizer.slim(normalized, "moderate");
   * slimmed.request; // what goes to the backend
   */
  slim(request: MessageCreateParams, tier: PromptTier): SlimmedRequest {
    if (tier === "off") {
      const tokens = estimatePromptTokens(request);
      return { tier, request, before: tokens, after: tokens, removed: [], deferred: [], warnings: [] };
    }
    const inUse = this.#findToolsInUse(request, tier);
    const key = [tier, hashSystem(request.system), this.#hashTools(request.tools), [...inUse].sort().join(",")].join("\u0000");
    let remembered = this.#memo.get(key);
    if (remembered === undefined) {
      remembered = this.#compute(request, tier, inUse);
      this.#memo.set(key, remembered);
      if (this.#memo.size > this.#memoEntries) this.#memo.delete(this.#memo.keys().next().value!);
    } else {
      // Least recently used first out: a hit moves to the back.
      this.#memo.delete(key);
      this.#memo.set(key, remembered);
    }
    const { parts, ...result } = remembered;
    return { ...result, tier, request: parts === undefined ? request : withParts(request, parts) };
  }

  #compute(request: MessageCreateParams, tier: Exclude<PromptTier, "off">, inUse: ReadonlySet<string>): Remembered {
    const original: PromptParts = { system: request.system, tools: request.tools };
    const slimmed = slimPrompt(original, { tier, rules: this.#rules, deferTools: this.#deferTools, inUse });
    const before = estimatePromptTokens(original);
    const after = estimatePromptTokens(slimmed);
    const gateFailure = findGateFailure(original, slimmed, { before, after });
    if (gateFailure !== undefined) return { before, after: before, removed: [], deferred: [], gateFailure, warnings: slimmed.warnings };
    const parts: PromptParts = { system: slimmed.system, tools: slimmed.tools };
    // Frozen in, frozen out: what the reusing parser shares stays shareable (and memoizable) downstream.
    if (Object.isFrozen(request.tools ?? request.system ?? {})) deepFreeze(parts);
    return { before, after, removed: slimmed.removed, deferred: slimmed.deferred, warnings: slimmed.warnings, parts };
  }

  /**
   * The tools this tier would defer or a rule would drop that the conversation loaded or called,
   * or tool_choice names: they stay. Only those names enter the memo key.
   */
  #findToolsInUse(request: MessageCreateParams, tier: PromptTier): Set<string> {
    const candidates = new Set(tier === "aggressive" ? this.#deferTools : []);
    for (const [name, action] of this.#rules.tools) if (action === "drop") candidates.add(name);
    if (candidates.size === 0 || request.tools === undefined) return new Set();
    const used = findLoadedToolNames(request.messages);
    if (request.tool_choice?.type === "tool") used.add(request.tool_choice.name);
    return new Set([...used].filter((name) => candidates.has(name)));
  }

  #hashTools(tools: ToolParam[] | undefined): string {
    if (tools === undefined) return "-";
    const known = this.#toolHashes.get(tools);
    if (known !== undefined) return known;
    const hash = hashText(JSON.stringify(tools));
    if (Object.isFrozen(tools)) this.#toolHashes.set(tools, hash);
    return hash;
  }
}

/**
 * @example
 * estimatePromptTokens({ system: "Be brief.", tools: [] }); // 3
 */
export function estimatePromptTokens(parts: Partial<PromptParts>): number {
  return estimateInputTokens({ model: "", messages: [], system: parts.system, tools: parts.tools });
}

function withParts(request: MessageCreateParams, parts: PromptParts): MessageCreateParams {
  const next = { ...request };
  if (parts.system === undefined) delete next.system;
  else next.system = parts.system;
  if (parts.tools !== undefined) next.tools = parts.tools;
  return next;
}

/** A 64-bit hash and the length: different prompts that collide on both are beyond any real chance. */
function hashText(text: string): string {
  return `${text.length}:${Bun.hash(text).toString(36)}`;
}

function hashSystem(system: string | TextBlockParam[] | undefined): string {
  if (system === undefined) return "-";
  if (typeof system === "string") return hashText(system);
  return system
    .map((block) => {
      const { type, text, cache_control, ...rest } = block;
      const extra = Object.keys(rest).length === 0 ? "" : JSON.stringify(rest);
      return `${type}:${hashText(text)}:${cache_control ? JSON.stringify(cache_control) : ""}:${extra}`;
    })
    .join("|");
}
