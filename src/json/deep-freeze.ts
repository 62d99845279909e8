/**
 * Freezes a JSON value and everything inside it. A frozen value is one that anyclaude shares
 * between requests (see ReusingJsonParser): freezing makes any attempt to change it throw
 * instead of quietly corrupting the requests that share it, and marks it as safe to reuse work
 * on by identity (see ConversationMemo).
 */

/**
 * Iterative, so a deep value cannot overflow the stack. Returns its argument. Typed arrays are
 * left as they are (JavaScript cannot freeze them).
 *
 * @example
 * const tools = deepFreeze(JSON.parse('[{"name":"Bash"}]'));
 * Object.isFrozen(tools[0]); // true
 */
export function deepFreeze<T>(root: T): T {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    // Typed arrays cannot be frozen; they are remembered bytes, which no caller writes to.
    if (typeof value !== "object" || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) continue;
    Object.freeze(value);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) pending.push(value[i]);
    else for (const key in value) pending.push((value as Record<string, unknown>)[key]);
  }
  return root;
}
