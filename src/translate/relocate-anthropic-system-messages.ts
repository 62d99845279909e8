/**
 * Moves `role: "system"` entries out of an Anthropic `messages` list. Claude Code 2.1.x sends
 * its environment block that way, but the Messages API has no such role and most chat
 * templates accept a system turn only at the start.
 */
import type { SystemMessageHandling } from "../config/config-choices";
import type { MessageParam, TextBlockParam } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "./translation-warning";

export interface RelocatedSystemMessages {
  system: string | TextBlockParam[] | undefined;
  messages: MessageParam[];
}

/**
 * `hoist` appends each system message's text blocks to the end of `system`, in order;
 * `user` turns them into user text wrapped in `<system-reminder>` (the wrapper Claude Code
 * itself uses for such notes); `keep` leaves them where they are. Non-text blocks in a system
 * message have no place in a system prompt and are dropped with a warning. Consecutive
 * same-role messages this leaves behind are merged by the caller.
 *
 * @example
 * relocateAnthropicSystemMessages("Be brief.", [{ role: "system", content: "Today is Monday." }], "hoist");
 * // => { value: { system: [{ type: "text", text: "Be brief." }, { type: "text", text: "Today is Monday." }], messages: [] }, warnings: [] }
 */
export function relocateAnthropicSystemMessages(
  system: string | TextBlockParam[] | undefined,
  messages: MessageParam[],
  handling: SystemMessageHandling,
): Translated<RelocatedSystemMessages> {
  if (handling === "keep" || !messages.some((message) => message.role === "system")) {
    return { value: { system, messages }, warnings: [] };
  }
  const warnings: TranslationWarning[] = [];
  const hoisted: TextBlockParam[] = [];
  const kept: MessageParam[] = [];
  messages.forEach((message, index) => {
    if (message.role !== "system") {
      kept.push(message);
      return;
    }
    const texts = collectTextBlocks(message, `messages[${index}]`, warnings);
    if (handling === "hoist") hoisted.push(...texts);
    else kept.push({ role: "user", content: texts.map(wrapInSystemReminder) });
  });
  if (hoisted.length === 0) return { value: { system, messages: kept }, warnings };
  return { value: { system: [...toTextBlocks(system), ...hoisted], messages: kept }, warnings };
}

function collectTextBlocks(message: MessageParam, path: string, warnings: TranslationWarning[]): TextBlockParam[] {
  if (typeof message.content === "string") return [{ type: "text", text: message.content }];
  const texts: TextBlockParam[] = [];
  message.content.forEach((block, index) => {
    if (block.type === "text") texts.push(block);
    else
      warnings.push({
        code: "dropped-block",
        path: `${path}.content[${index}]`,
        message: `A "${block.type}" block in a system message cannot become system text; dropped.`,
      });
  });
  return texts;
}

function wrapInSystemReminder(block: TextBlockParam): TextBlockParam {
  return { ...block, text: `<system-reminder>\n${block.text}\n</system-reminder>` };
}

function toTextBlocks(system: string | TextBlockParam[] | undefined): TextBlockParam[] {
  if (system === undefined) return [];
  return typeof system === "string" ? [{ type: "text", text: system }] : system;
}
