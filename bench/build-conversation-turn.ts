/**
 * The turns of one Claude Code conversation as it grows: the recorded first request plus n
 * exchanges (a Bash call and its ~2 KB of output each), the cache marker on the newest message,
 * as Claude Code sends them. Shared by the benchmarks that follow a long conversation.
 */
import { join } from "node:path";

type Block = Record<string, unknown>;
type Message = { role: string; content: string | Block[] };

const FIXTURE = join(import.meta.dir, "../test/fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");
const first = (await Bun.file(FIXTURE).json()) as { messages: Message[]; [field: string]: unknown };

/**
 * Turn n of conversation `name`, as the JSON body Claude Code sends. Conversations differ from
 * their first message on, as two sessions do.
 *
 * @example
 * const body = buildConversationTurn(120, true); // ~370 KB
 */
export function buildConversationTurn(n: number, stream: boolean, name = "measured"): string {
  const messages: Message[] = structuredClone(first.messages);
  messages[0] = { ...messages[0]!, content: [...(messages[0]!.content as Block[]), { type: "text", text: `(conversation: ${name})` }] };
  for (let k = 1; k <= n; k++) {
    const id = `toolu_${String(k).padStart(4, "0")}${"x".repeat(20)}`;
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: `Step ${k}: let me look at the next file.` },
        { type: "tool_use", id, name: "Bash", input: { command: `sed -n 1,60p src/module-${k}.ts`, description: `Read module ${k}` } },
      ],
    });
    const output = Array.from(
      { length: 40 },
      (_, line) => `${String(line + 1).padStart(4)}  export const value${k}_${line} = compute(${line}, "module ${k}");`,
    ).join("\n");
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: id, content: output }] });
  }
  // Claude Code marks only the newest message for prompt caching; the marker moves every turn.
  const last = messages.at(-1)!;
  if (Array.isArray(last.content))
    last.content = last.content.map((block, index, all) =>
      index === all.length - 1 ? { ...block, cache_control: { type: "ephemeral" } } : block,
    );
  return JSON.stringify({ ...first, messages, stream });
}
