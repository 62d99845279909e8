/** A conversation too long for a small window, as the context tests replay it through the server. */

/**
 * The task, then `turns` exchanges of a Read and its result of about 150 tokens, then a question.
 *
 * @example
 * await postMessage(proxy, { messages: longReadConversation(40) });
 */
export function longReadConversation(turns: number): Array<{ role: string; content: unknown }> {
  const messages: Array<{ role: string; content: unknown }> = [{ role: "user", content: "Refactor the parser in src/parse.ts." }];
  for (let k = 0; k < turns; k++) {
    const id = `toolu_${String(k).padStart(4, "0")}`;
    messages.push({ role: "assistant", content: [{ type: "tool_use", id, name: "Read", input: { file_path: `src/file-${k}.ts` } }] });
    messages.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content: `export const value${k} = ${"1 + ".repeat(150)}1;` }],
    });
  }
  messages.push({ role: "assistant", content: [{ type: "text", text: "Read them all." }] });
  messages.push({ role: "user", content: "Now write the summary of what you read." });
  return messages;
}
