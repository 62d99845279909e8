/**
 * The fake engines' stand-in for a real chat template and tokenizer: deterministic and simple
 * enough that a test can compute the expected count itself instead of hard-coding it.
 */

interface TemplateMessage {
  role?: unknown;
  content?: unknown;
}

/**
 * Renders an OpenAI chat body ChatML-style; tool definitions go first as one system turn.
 *
 * @example
 * applyFakeChatTemplate({ messages: [{ role: "user", content: "hi" }] })
 * // "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
 */
export function applyFakeChatTemplate(body: unknown): string {
  const { messages, tools } = (body ?? {}) as { messages?: unknown; tools?: unknown };
  const turns: string[] = [];
  if (Array.isArray(tools) && tools.length > 0) turns.push(renderTurn("system", JSON.stringify(tools)));
  for (const message of Array.isArray(messages) ? (messages as TemplateMessage[]) : []) {
    turns.push(renderTurn(String(message.role), renderContent(message)));
  }
  return `${turns.join("")}<|im_start|>assistant\n`;
}

/**
 * One token per 4 code points, ids taken from each piece's first code point.
 *
 * @example
 * tokenizeFake("hello") // [104, 111]
 */
export function tokenizeFake(text: string): number[] {
  const points = Array.from(text);
  const tokens: number[] = [];
  for (let i = 0; i < points.length; i += 4) tokens.push(points[i]!.codePointAt(0)!);
  return tokens;
}

/** @example countFakeTokens(applyFakeChatTemplate(chatRequest)) */
export function countFakeTokens(text: string): number {
  return tokenizeFake(text).length;
}

function renderTurn(role: string, content: string): string {
  return `<|im_start|>${role}\n${content}<|im_end|>\n`;
}

function renderContent(message: TemplateMessage): string {
  const { content } = message;
  const rest = { ...(message as Record<string, unknown>) };
  delete rest.role;
  delete rest.content;
  const text = typeof content === "string" ? content : content === undefined || content === null ? "" : JSON.stringify(content);
  // Tool calls, tool_call_id and reasoning count too, as they would in a real template.
  return Object.keys(rest).length === 0 ? text : `${text}${JSON.stringify(rest)}`;
}
