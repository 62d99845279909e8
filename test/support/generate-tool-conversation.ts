/**
 * A long, tool-heavy Claude Code conversation, generated: each turn an assistant message (some
 * with thinking, some with two parallel calls) and the user message with the tool results, now and
 * then a new instruction, and every few turns an oversized result (a whole file read, an `ls -R`).
 * Seeded, so a property that fails on it fails the same way on every machine.
 */
import type { ContentBlockParam, MessageCreateParams, MessageParam, ToolResultBlockParam } from "../../src/protocol/anthropic/messages";
import { seededRandom } from "./seeded-random";

const WORDS =
  "the a function returns value config request backend token window message tool result file test error cache prompt slot turn stream model route user assistant system build check import export const let await async if else for while".split(
    " ",
  );

export interface ToolConversationOptions {
  /** Assistant turns, each answered by a user message. */
  turns: number;
  seed?: number;
  /** Every this many turns, a whole large file is read (about 40k tokens). */
  hugeReadEvery?: number;
  /** Every this many turns, an `ls -R` lists 4,000 files (about 25k tokens). */
  listingEvery?: number;
}

/**
 * The messages of the conversation: the task first, then `turns` exchanges; the last message is
 * a user message, as in every request Claude Code sends.
 *
 * @example
 * const messages = generateToolConversation({ turns: 60 });
 * messages.length; // 121
 */
export function generateToolConversation(options: ToolConversationOptions): MessageParam[] {
  const random = seededRandom(options.seed ?? 16);
  const words = (count: number) => Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
  const hugeEvery = options.hugeReadEvery ?? 13;
  const listingEvery = options.listingEvery ?? 17;
  const messages: MessageParam[] = [
    {
      role: "user",
      content: [
        { type: "text", text: "<system-reminder>\nThe working directory is /home/dev/project.\n</system-reminder>\n" },
        { type: "text", text: "Fix the failing router tests and explain the cause." },
      ],
    },
  ];
  for (let turn = 1; turn <= options.turns; turn++) {
    const assistant: ContentBlockParam[] = [];
    if (turn % 3 === 0) assistant.push({ type: "thinking", thinking: `Turn ${turn}: ${words(40)}`, signature: `sig-${turn}` });
    assistant.push({ type: "text", text: words(12 + Math.floor(random() * 30)) });
    const calls = turn % 4 === 0 ? 2 : 1;
    const results: ToolResultBlockParam[] = [];
    for (let call = 0; call < calls; call++) {
      const id = `toolu_${String(turn).padStart(3, "0")}_${call}`;
      const kind =
        turn % hugeEvery === 0 && call === 0
          ? "huge-read"
          : turn % listingEvery === 0 && call === 0
            ? "listing"
            : (["Read", "Bash", "Grep"] as const)[Math.floor(random() * 3)]!;
      if (kind === "huge-read" || kind === "Read") {
        assistant.push({ type: "tool_use", id, name: "Read", input: { file_path: `/home/dev/project/src/file-${turn}.ts` } });
        results.push({
          type: "tool_result",
          tool_use_id: id,
          content: numberedLines(kind === "huge-read" ? 3_200 : 20 + Math.floor(random() * 120), words),
        });
      } else if (kind === "listing") {
        assistant.push({ type: "tool_use", id, name: "Bash", input: { command: "ls -R", description: "List every file" } });
        results.push({
          type: "tool_result",
          tool_use_id: id,
          content: Array.from({ length: 4_000 }, (_, i) => `src/dir-${i % 40}/file-${i}.ts`).join("\n"),
        });
      } else {
        assistant.push({
          type: "tool_use",
          id,
          name: kind,
          input: kind === "Bash" ? { command: `bun test ${words(2)}` } : { pattern: words(1) },
        });
        results.push({ type: "tool_result", tool_use_id: id, content: words(20 + Math.floor(random() * 200)), is_error: random() < 0.1 });
      }
    }
    messages.push({ role: "assistant", content: assistant });
    const user: ContentBlockParam[] = [...results];
    if (turn % 10 === 0) user.push({ type: "text", text: `Now also ${words(8)} (instruction ${turn}).` });
    messages.push({ role: "user", content: user });
  }
  return messages;
}

/**
 * A request as Claude Code would send it at the end of `messages`, around a given preamble.
 *
 * @example
 * const request = toolConversationRequest(generateToolConversation({ turns: 60 }), recorded.body);
 */
export function toolConversationRequest(
  messages: MessageParam[],
  preamble: Pick<MessageCreateParams, "system" | "tools" | "thinking">,
): MessageCreateParams {
  return { model: "claude-opus-5-5", max_tokens: 128_000, stream: true, ...preamble, messages };
}

function numberedLines(count: number, words: (count: number) => string): string {
  return Array.from({ length: count }, (_, i) => `${String(i + 1).padStart(6)}→  ${words(6)};`).join("\n");
}
