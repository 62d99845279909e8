/**
 * How hard anyclaude slims a prompt. Each tier does everything the one before it does, and more;
 * docs/decisions/0018-prompt-slimming.md says what each removes and why.
 */
import { PROMPT_TIERS, type PromptTier } from "../config/prompt-config-schema";

export type { PromptTier };

/**
 * @example
 * reachesTier("aggressive", "moderate"); // true
 * reachesTier("safe", "moderate"); // false
 */
export function reachesTier(tier: PromptTier, least: PromptTier): boolean {
  return PROMPT_TIERS.indexOf(tier) >= PROMPT_TIERS.indexOf(least);
}
