import { describe, expect, test } from "bun:test";
import { addDeferredToolsNote, chooseToolsToDefer, describeDeferredTools, findLoadedToolNames } from "../../../src/prompt/defer-tools";
import type { ToolParam } from "../../../src/protocol/anthropic/messages";

const tool = (name: string): ToolParam => ({ name, input_schema: { type: "object" } });

describe("chooseToolsToDefer", () => {
  test("defers the listed tools in tool-list order, except those kept", () => {
    const tools = [tool("Workflow"), tool("Bash"), tool("Agent"), tool("ToolSearch")];
    expect(chooseToolsToDefer(tools, { deferTools: ["Agent", "Workflow", "Skill"], keep: new Set() })).toEqual(["Workflow", "Agent"]);
    expect(chooseToolsToDefer(tools, { deferTools: ["Agent", "Workflow"], keep: new Set(["Agent"]) })).toEqual(["Workflow"]);
  });

  test("defers nothing without ToolSearch to load the tools back", () => {
    expect(chooseToolsToDefer([tool("Agent"), tool("Bash")], { deferTools: ["Agent"], keep: new Set() })).toEqual([]);
  });
});

describe("findLoadedToolNames", () => {
  test("names loaded through ToolSearch (tool_reference) and tools already called", () => {
    const names = findLoadedToolNames([
      { role: "user", content: "hi" },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "ToolSearch", input: { query: "select:Agent" } }] },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "tool_reference", tool_name: "Agent" } as never] }],
      },
      { role: "assistant", content: [{ type: "tool_use", id: "t2", name: "Workflow", input: {} }] },
    ]);
    expect([...names].sort()).toEqual(["Agent", "ToolSearch", "Workflow"]);
  });
});

describe("addDeferredToolsNote", () => {
  const note = describeDeferredTools(["Agent"]);

  test("goes right after Claude Code's own list of deferred tools", () => {
    const system = [
      { type: "text" as const, text: "Be brief." },
      {
        type: "text" as const,
        text: "The following deferred tools are now available via ToolSearch:\nWebFetch\nWebSearch\n\nToday's date is 2026-11-27.",
      },
    ];
    expect(addDeferredToolsNote(system, note)).toEqual([
      system[0]!,
      {
        type: "text",
        text: `The following deferred tools are now available via ToolSearch:\nWebFetch\nWebSearch\n\n${note}\n\nToday's date is 2026-11-27.`,
      },
    ]);
  });

  test("else at the end of the system prompt", () => {
    expect(addDeferredToolsNote("Be brief.", note)).toBe(`Be brief.\n\n${note}`);
    expect(note).toBe('Also deferred (load with ToolSearch, query "select:<name>[,<name>...]", before calling): Agent');
  });
});
