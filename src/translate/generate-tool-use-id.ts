/**
 * Ids for tool_use blocks the engine sent without one. Claude Code echoes the id back in its
 * tool_result, so it only has to be unique within the conversation; the `toolu_` + 24 hex
 * shape matches what Anthropic itself produces, so nothing downstream can tell the difference.
 */

/** Produces a fresh tool_use id; injected so golden tests can use a fixed sequence. */
export type ToolUseIdGenerator = () => string;

/**
 * @example
 * generateToolUseId(); // "toolu_3f9c0a51d2e84b7a9c1e0f42"
 */
export function generateToolUseId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return `toolu_${hex}`;
}
