/**
 * What to do with a prompt that does not fit its target's window, by policy. With no
 * configuration the policy is `trim`: a local engine's overflow must not end a session
 * (docs/decisions/0015-context-policy-trim-by-default.md).
 */
import type { TranslationWarning } from "../translate/translation-warning";

export type ContextPolicy = "error" | "fallback" | "trim" | "compress";

/** `overflow`: answer "prompt is too long" (the router then tries the group's contextFallback, else Claude Code compacts). */
export type ContextAction = "pass" | "overflow" | "trim" | "compress";

/**
 * @example
 * decideContextAction("fallback", { fits: false, hasContextFallback: false });
 * // => { value: "trim", warnings: [{ code: "context-fallback-missing", … }] }
 */
export function decideContextAction(
  policy: ContextPolicy,
  situation: { fits: boolean; hasContextFallback: boolean },
): { value: ContextAction; warnings: TranslationWarning[] } {
  if (situation.fits) return { value: "pass", warnings: [] };
  switch (policy) {
    case "error":
      return { value: "overflow", warnings: [] };
    case "fallback":
      if (situation.hasContextFallback) return { value: "overflow", warnings: [] };
      return {
        value: "trim",
        warnings: [
          {
            code: "context-fallback-missing",
            path: "messages",
            message: "context policy `fallback` without a contextFallback group: the conversation was trimmed instead",
          },
        ],
      };
    case "trim":
    case "compress":
      return { value: policy, warnings: [] };
  }
}
