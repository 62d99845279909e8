/**
 * Cleans a Claude Code request into the Anthropic Messages subset a local backend can serve.
 * Runs in both backend modes: before native passthrough and before OpenAI conversion.
 */

import type { SystemMessageHandling } from "../config/config-choices";
import { type ConversationMemo, reuseForItems, reuseInContext } from "../json/conversation-memo";
import type { MessageCreateParams, OutputConfigParam, TextBlockParam } from "../protocol/anthropic/messages";
import { findLoadedDeferredTools, type LoadedDeferredTools } from "../tool-calls/find-loaded-deferred-tools";
import { declareLoadedDeferredTools } from "./declare-loaded-deferred-tools";
import { mergeConsecutiveAnthropicMessages } from "./merge-consecutive-anthropic-messages";
import { relocateAnthropicSystemMessages } from "./relocate-anthropic-system-messages";
import { stripBillingHeader } from "./strip-billing-header";
import { stripTextCitations } from "./strip-text-citations";
import type { Translated, TranslationWarning } from "./translation-warning";

/** Mirrors `config.claudeCode`. */
export interface NormalizeOptions {
  stripBillingHeader: boolean;
  systemMessages: SystemMessageHandling;
}

/** Fields that only Anthropic's own servers act on (billing, server-side context edits, MCP). */
const UNUSABLE_FIELDS = ["metadata", "context_management", "betas", "service_tier", "container", "mcp_servers"] as const;

/**
 * Strips the billing header, relocates `role: "system"` messages, drops `citations` from text
 * blocks (strip-text-citations.ts), merges consecutive same-role messages, drops deferred tools
 * the conversation has not loaded through ToolSearch (and declares those it has), drops the
 * fields listed above (each with a `dropped-field` warning), and moves the legacy
 * `output_format` to `output_config.format`.
 *
 * `cache_control` stays: a native upstream may honour it; the OpenAI conversion ignores it
 * because chat completions have no equivalent. The input is never mutated (callers reuse the
 * parsed body), and the output keeps the input's key order, so the same request always
 * serializes to the same bytes: it is hashed for the response cache and prefix affinity. With
 * a memo, a resent (frozen) tool list is cleaned once and comes back as the same frozen list,
 * and so does a resent message that must be reordered, which the later steps' memos then find.
 *
 * @example
 * normalizeAnthropicRequest(
 *   { model: "m", max_tokens: 100, metadata: { user_id: "u" }, messages: [{ role: "user", content: "hi" }] },
 *   { stripBillingHeader: true, systemMessages: "hoist" },
 * );
 * // => { value: { model: "m", max_tokens: 100, messages: [{ role: "user", content: "hi" }] },
 * //      warnings: [{ code: "dropped-field", path: "metadata", message: "…" }] }
 */
export function normalizeAnthropicRequest(
  request: MessageCreateParams,
  options: NormalizeOptions,
  memo?: ConversationMemo,
): Translated<MessageCreateParams> {
  const warnings: TranslationWarning[] = [];
  const normalized: MessageCreateParams = { ...request };

  const system = options.stripBillingHeader ? stripBillingHeader(request.system).value : request.system;
  const relocated = relocateAnthropicSystemMessages(system, request.messages, options.systemMessages);
  warnings.push(...relocated.warnings);
  if (relocated.value.system === undefined) delete normalized.system;
  else normalized.system = sameListAsLastTurn(relocated.value.system, memo);
  const uncited = stripTextCitations(relocated.value.messages);
  warnings.push(...uncited.warnings);
  normalized.messages = mergeConsecutiveAnthropicMessages(uncited.value, memo);

  if (Array.isArray(request.tools)) {
    // Cleaned once per frozen tool list and load, as Claude Code resends both every turn.
    const loaded = findLoadedDeferredTools(normalized.messages);
    const tools = reuseInContext(memo, declareLoadedDeferredTools, request.tools, loaded, isSameLoad);
    warnings.push(...tools.warnings);
    normalized.tools = tools.value;
  }

  for (const field of UNUSABLE_FIELDS) {
    if (request[field] !== undefined && request[field] !== null) warnings.push(droppedField(field));
    delete normalized[field];
  }

  const outputConfig = normalizeOutputConfig(request, warnings);
  delete normalized.output_format;
  if (outputConfig === undefined) delete normalized.output_config;
  else normalized.output_config = outputConfig;

  return { value: normalized, warnings };
}

/**
 * The system prompt as a list built afresh each turn (the billing line taken out, Claude Code's
 * environment message hoisted in) holds the same frozen blocks when resent: it comes back as the
 * same frozen list, so that the steps after (token counts, keys) find it in their memos.
 */
function sameListAsLastTurn(system: string | TextBlockParam[], memo: ConversationMemo | undefined): string | TextBlockParam[] {
  return Array.isArray(system) ? reuseForItems(memo, listBlocks, system) : system;
}

function listBlocks(blocks: readonly TextBlockParam[]): TextBlockParam[] {
  return blocks.slice();
}

/**
 * Folds in the legacy `output_format`. `effort` stays: the OpenAI conversion maps it onto
 * `reasoning_effort` (or reports it dropped), and native engines read or ignore it themselves.
 */
function normalizeOutputConfig(request: MessageCreateParams, warnings: TranslationWarning[]): OutputConfigParam | undefined {
  const { format, ...rest } = request.output_config ?? {};
  let chosenFormat = format;
  const legacy = request.output_format;
  if (legacy !== undefined && legacy !== null) {
    if (format !== undefined && format !== null) warnings.push(droppedField("output_format", "output_config.format takes precedence"));
    else chosenFormat = legacy;
  }
  const config: OutputConfigParam = chosenFormat === undefined || chosenFormat === null ? rest : { ...rest, format: chosenFormat };
  return Object.keys(config).length === 0 ? undefined : config;
}

function droppedField(path: string, reason = "a local backend cannot use it"): TranslationWarning {
  return { code: "dropped-field", path, message: `Dropped \`${path}\`: ${reason}.` };
}

/** The same tools loaded, in the same order, with the same schemas where the conversation carries them. */
function isSameLoad(a: LoadedDeferredTools, b: LoadedDeferredTools): boolean {
  if (a.names.length !== b.names.length || a.schemas.size !== b.schemas.size) return false;
  return a.names.every(
    (name, index) => name === b.names[index] && JSON.stringify(a.schemas.get(name)) === JSON.stringify(b.schemas.get(name)),
  );
}
