/**
 * What slimming took out of a prompt, and why: the record `anyclaude prompt show` prints and the
 * golden files keep, so every removal can be read and reviewed.
 */

export type RemovalReason =
  /** Whitespace and typography; `chars` only. */
  | "formatting"
  | "duplicate"
  | "example"
  | "long-explanation"
  | "beyond-first-paragraph"
  | "shortest-wording"
  | "empty-section"
  | "rule"
  | "deferred"
  | "dropped-tool";

export interface PromptRemoval {
  /** `system[2]`, `tools.Bash.description`, `tools.Bash.input_schema.properties.timeout.description`, `tools.Agent`. */
  path: string;
  reason: RemovalReason;
  /** What went (absent for formatting). */
  text?: string;
  /** Characters saved. */
  chars: number;
}
