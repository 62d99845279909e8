/**
 * Proactive search's heuristic on a labelled set of last user turns, as Claude Code sends them
 * (system reminders, slash-command echoes, pasted code), through `readLastUserQuestion` and
 * `detectFreshFactsQuery`. Precision matters more than recall: a false positive costs a search
 * and prompt tokens on every such turn, a miss only means the model answers as it would anyway.
 */
import { expect, test } from "bun:test";
import type { ContentBlockParam, MessageParam } from "../../../src/protocol/anthropic/messages";
import { detectFreshFactsQuery } from "../../../src/search/detect-fresh-facts-query";
import { readLastUserQuestion } from "../../../src/search/read-last-user-question";

const REMINDER = `<system-reminder>
As you answer the user's questions, you can use the following context:
# claudeMd
Codebase and user instructions are shown below. Be sure to adhere to these instructions.
Contents of /home/me/project/CLAUDE.md: Use bun. Keep the latest changes small.
# currentDate
Today's date is 2026-12-06.

      IMPORTANT: this context may or may not be relevant to your tasks. You should not respond to this context unless it is highly relevant to your task.
</system-reminder>`;
const TODO_REMINDER =
  "<system-reminder>This is a reminder that your todo list is currently empty. DO NOT mention this to the user explicitly because they are not aware of it. If you are working on tasks that would benefit from a todo list please use the TodoWrite tool to create one.</system-reminder>";

/** A turn as Claude Code sends it: its reminders first, then what the user typed. */
const claudeCodeTurn = (typed: string): ContentBlockParam[] => [
  { type: "text", text: REMINDER },
  { type: "text", text: typed },
];

const POSITIVES: Array<string | ContentBlockParam[]> = [
  "What is the latest version of Bun?",
  "what's the latest stable release of node?",
  claudeCodeTurn("Is Python 3.14 the newest version, or is there something later?"),
  claudeCodeTurn("Upgrade react in package.json to the latest version"),
  "Which is the current LTS release of Node.js?",
  "What's new in TypeScript 7?",
  "Give me today's news about the Rust foundation",
  "Any breaking news on the OpenSSL vulnerability?",
  "What is the current price of bitcoin?",
  "How much is an RTX 5090 right now? price today",
  "What's the NVDA stock price?",
  "What's the EUR to USD exchange rate?",
  "As of today, which browsers support the Temporal API?",
  "Which Kubernetes versions are supported as of 2026?",
  "Was Deno 3 just released?",
  "What are this year's best JavaScript frameworks according to the State of JS?",
  "Who won the Rust vs Go benchmark game this month? who won",
  "What did Apple announce this week? Any announcements released today?",
  "I need up-to-date information on the CVE-2026-1234 patch status",
  claudeCodeTurn("Check the latest release of drizzle-kit and tell me if we should update"),
  "What's the weather in Berlin today?",
  "What is the current version of the AWS SDK for JavaScript?",
  "Find the most recent release of llama.cpp and its changes",
  [
    { type: "text", text: TODO_REMINDER },
    { type: "text", text: "what's the latest news about claude code?" },
  ],
  "Who is the current CEO of OpenAI?",
  "Recently released: is there a new version of vite? Summarize what's new in vite 8.",
  "latest versions of esbuild and rollup please",
  "Are there any new headlines today's headlines on AI regulation?",
  "What is the latest LTS of Java?",
  "Tell me the current exchange rate between yen and dollar",
  "Bump all our dependencies to their latest versions; first tell me what the latest versions are.",
  "What's the newest release of Postgres and when did it come out?",
  "Add the latest version of zod to our dependencies",
  "Is there a newer version than 5.2 of webpack? latest release please",
  "What's the current stable version of Go, and does it support iterators?",
];

const NEGATIVES: Array<string | ContentBlockParam[]> = [
  claudeCodeTurn("Fix the failing test in src/router/router.test.ts"),
  claudeCodeTurn("Show me the latest commit on this branch"),
  "What changed in the latest commit?",
  "Revert the last change I made to config.ts",
  "What is the current branch?",
  "Print the current working directory",
  "Explain the current implementation of the cache",
  "Run the tests and show me the latest error",
  "Refactor this function to use async/await",
  "Write a bash script that fetches the latest release from GitHub's API",
  "Add a `--latest` flag to the CLI",
  "Why does `npm install foo@latest` fail here?",
  "```ts\nconst latestVersion = await getLatestVersion(); // what is the latest version?\n```\nWhy does this not compile?",
  "Rename currentPrice to priceNow everywhere",
  "Summarize the diff",
  "How do I parse dates in Python?",
  "What does this regex do: /^\\d{4}-\\d{2}$/",
  "Explain the difference between let and const",
  "Write a function that returns today's date in ISO format",
  "Add a weather widget component to the dashboard",
  "Our news feed component renders twice; fix it",
  "Implement a stock price chart with mock data",
  "hi",
  "Continue",
  "Commit these changes with a good message",
  claudeCodeTurn("Can you explain how the migration works?"),
  [{ type: "text", text: TODO_REMINDER }],
  [{ type: "text", text: REMINDER }],
  "<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>",
  "<local-command-stdout>Latest version: 2.1.332 (current)</local-command-stdout>",
  "Make the release script tag the current version",
  "Update the changelog for the latest release of our library",
  "Why is the last line of the log file empty?",
  "Create a migration that adds a latest_version column",
  "Create a function that returns the latest version from the registry",
  "What is the latest version in this file's header comment?",
  "Document the current version of our API in the README",
];

function classify(content: string | ContentBlockParam[]): boolean {
  const question = readLastUserQuestion({ messages: [{ role: "user", content }] });
  return question !== undefined && detectFreshFactsQuery(question) !== undefined;
}

test("the labelled set is large enough to mean something", () => {
  expect(POSITIVES.length + NEGATIVES.length).toBeGreaterThanOrEqual(60);
});

test("precision and recall on the labelled set", () => {
  const missed = POSITIVES.filter((content) => !classify(content));
  const truePositives = POSITIVES.length - missed.length;
  const falsePositives = NEGATIVES.filter(classify);
  const precision = truePositives / (truePositives + falsePositives.length);
  const recall = truePositives / POSITIVES.length;
  console.info(
    `proactive search heuristic: precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} (${POSITIVES.length} positives, ${NEGATIVES.length} negatives); missed: ${JSON.stringify(missed)}`,
  );
  expect({ falsePositives, precision: precision >= 0.95, recall: recall >= 0.85 }).toEqual({
    falsePositives: [],
    precision: true,
    recall: true,
  });
});

test("the query is the sentence that asks, without the reminders around it", () => {
  const question = readLastUserQuestion({
    messages: [{ role: "user", content: claudeCodeTurn("Before we upgrade: what is the latest stable version of Bun? Then bump it.") }],
  });
  expect(detectFreshFactsQuery(question!)).toBe("Before we upgrade: what is the latest stable version of Bun?");
  expect(detectFreshFactsQuery(`What is the latest version of ${"very ".repeat(80)}long names?`)!.length).toBeLessThanOrEqual(200);
});

test("a turn of tool results, or an assistant turn last, is no question", () => {
  const results: MessageParam = {
    role: "user",
    content: [
      { type: "tool_result", tool_use_id: "toolu_1", content: "latest version: 1.3.4" },
      { type: "text", text: "what is the latest version?" },
    ],
  };
  expect(readLastUserQuestion({ messages: [results] })).toBeUndefined();
  expect(
    readLastUserQuestion({
      messages: [
        { role: "user", content: "latest news?" },
        { role: "assistant", content: "…" },
      ],
    }),
  ).toBeUndefined();
});
