/**
 * Every tool call of an answer passes here before it reaches the client, whether the engine
 * sent it as a structured call or the model wrote it as text: its input is checked and mended
 * against the declared tool (src/tool-calls/check-tool-call.ts), single-call mode drops the extras,
 * and a call that is still invalid is held back for a re-ask when the caller can make one.
 */
import type { ContentBlock, ToolParam } from "../protocol/anthropic/messages";
import type { InvalidToolCall } from "../tool-calls/build-reask-request";
import { checkToolCall } from "../tool-calls/check-tool-call";
import { type DeclaredTools, indexDeclaredTools } from "../tool-calls/declared-tools";
import type { TextFormId } from "../tool-calls/text-forms/text-form";
import { TextToolCallParser } from "../tool-calls/text-tool-call-parser";
import type { ToolUseIdGenerator } from "./generate-tool-use-id";
import type { TranslationWarning } from "./translation-warning";

/** How an answer's tool calls are handled; without it calls pass with their arguments parsed, nothing more. */
export interface ToolCallHandling {
  /** The tools the request declared, deferred tools it loaded included. */
  tools: readonly ToolParam[];
  /** Look for calls written as text in the answer's text. */
  textCalls: boolean;
  /** Hold a call that fails its schema (see `takeInvalidCalls`) instead of passing it on: the caller will re-ask. */
  holdInvalid: boolean;
  /** Pass the first call only. */
  singleCall: boolean;
}

/** Warning codes of the tool-call outcomes, which /metrics counts as `anyclaude_tool_call_fixes_total{kind}`. */
export const TOOL_CALL_WARNINGS = {
  "text-form-tool-call": "text-form",
  "unreadable-tool-call": "unreadable-text-form",
  "renamed-tool": "renamed",
  "repaired-tool-arguments": "repaired-json",
  "coerced-tool-input": "coerced",
  "reasked-tool-call": "reasked",
  "invalid-tool-input": "invalid",
  "dropped-extra-tool-call": "dropped-extra",
} as const;

type ToolCallOrigin = "native" | TextFormId;

export interface AnswerToolCall {
  /** The engine's id, when it sent one. */
  id?: string;
  name: string;
  arguments: unknown;
  origin: ToolCallOrigin;
}

type ToolUseBlock = Extract<ContentBlock, { type: "tool_use" }>;

/**
 * @example
 * const gate = new ToolCallGate({ tools, textCalls: true, holdInvalid: false, singleCall: false }, generateToolUseId);
 * const block = gate.admit({ name: "bash", arguments: '{"command":"ls"}', origin: "native" }, "tool_calls[0]", warnings);
 * // => { type: "tool_use", id: "toolu_…", name: "Bash", input: { command: "ls" } }
 */
export class ToolCallGate {
  private readonly declared: DeclaredTools;
  private readonly held: InvalidToolCall[] = [];
  private passed = 0;
  private holdInvalid: boolean;

  constructor(
    private readonly handling: ToolCallHandling | undefined,
    private readonly generateId: ToolUseIdGenerator,
  ) {
    this.declared = indexDeclaredTools(handling?.tools ?? []);
    this.holdInvalid = handling?.holdInvalid ?? false;
  }

  /** A parser for calls written as text, when the request declared tools and text calls are on. */
  createTextParser(): TextToolCallParser | undefined {
    if (!this.handling?.textCalls || this.declared.count === 0) return undefined;
    return new TextToolCallParser({ isKnownTool: (name) => this.declared.find(name) !== undefined });
  }

  /** The block to send for `call`, or undefined when it was held for a re-ask or dropped. */
  admit(call: AnswerToolCall, path: string, warnings: TranslationWarning[]): ToolUseBlock | undefined {
    const checked = checkToolCall(call, this.declared);
    const id = call.id || this.generateId();
    if (call.origin !== "native") {
      warnings.push({
        code: "text-form-tool-call",
        path,
        message: `a ${call.origin} tool call written as text became a tool_use (${checked.name})`,
      });
    }
    for (const fix of checked.fixes) {
      const code = fix.kind === "renamed" ? "renamed-tool" : fix.kind === "coerced" ? "coerced-tool-input" : "repaired-tool-arguments";
      warnings.push({ code, path, message: `${checked.name}: ${fix.detail}` });
    }
    if (this.handling?.singleCall && this.passed > 0) {
      warnings.push({ code: "dropped-extra-tool-call", path, message: `single-call mode: dropped a further call to ${checked.name}` });
      return undefined;
    }
    if (checked.problems.length > 0) {
      if (this.holdInvalid) {
        this.held.push({ id, name: checked.name, input: checked.input, problems: checked.problems });
        this.passed++;
        return undefined;
      }
      warnings.push({ code: "invalid-tool-input", path, message: `${checked.name}: ${checked.problems.join("; ")}` });
    }
    this.passed++;
    return { type: "tool_use", id, name: checked.name, input: checked.input };
  }

  /** The calls held back so far. */
  get invalidCalls(): readonly InvalidToolCall[] {
    return this.held;
  }

  /** The calls held back since the last call; holding stops, so the re-ask's calls pass whatever they are. */
  takeInvalidCalls(): InvalidToolCall[] {
    this.holdInvalid = false;
    this.passed -= this.held.length;
    return this.held.splice(0);
  }
}
