/**
 * Decides whether a user's question plainly asks for facts newer than any model's training
 * (the latest version of something, today's news, a current price, "as of now"), and if so
 * which sentence to search for. Tuned for precision: a coding request about the latest commit
 * or the current branch is not one, and a miss only means no search, as without the feature.
 * Measured on a labelled set in test/unit/search/detect-fresh-facts-query.test.ts.
 */

/** Phrases that ask for something only the web knows today. */
const FRESH_FACTS: readonly RegExp[] = [
  /\b(latest|newest|most recent|current|last)\s+(stable\s+|lts\s+|major\s+|minor\s+)?(version|versions|release|releases|lts|stable)\b/i,
  /\bwhat('s| is| are)\s+new\s+in\b/i,
  /\b(latest|recent|breaking|today'?s|this week'?s)\s+(news|headlines|announcements?)\b/i,
  /\bnews\s+(today|this week|about)\b/i,
  /\b(current|today'?s|latest)\s+(price|prices|stock price|exchange rate|rate|weather|forecast|score|standings|ceo|president|prime minister)\b/i,
  /\b(price|cost|value|weather|forecast)\s+((of|in|for)\s+[\w .$-]{1,40}\s+)?(right now|today|currently|at the moment)\b/i,
  /\b(stock|share)\s+price\b/i,
  /\bexchange rate\b/i,
  /\bas of\s+(now|today|this (week|month|year)|(19|20)\d\d)\b/i,
  /\b(recently|just)\s+(released|announced|launched|shipped)\b/i,
  /\bthis year'?s\s+\w+/i,
  /\bwho (won|is winning|leads)\b/i,
  /\b(released|announced|launched)\s+(today|yesterday|this week|last week|this month|last month)\b/i,
  /\bup[- ]to[- ]date\s+(information|info|news|figures|numbers|list)\b/i,
];

/** Phrases that mark a question about the user's own code or machine, which no web search answers. */
const LOCAL_SUBJECTS =
  /\b(latest|last|current|recent)\s+(commit|commits|changes?|diff|branch|directory|folder|file|working|state|log|logs|migration|test run|build|error|stack trace|output|line|implementation|session)\b/i;

/**
 * An order to write or change code ("Write a script that fetches the latest release") is a
 * task about code, whatever it names; unless it also asks something outright.
 */
const CODE_TASK =
  /^(please\s+)?(write|implement|create|add|make|build|generate|refactor|rename|fix|update|change|modify|edit|remove|delete|move|mock|test|document)\b/i;
const ASKS = /\b(what|which|who|when|is there|are there|tell me|find out|look up)\b/i;
/** "the latest release of our library": the user's own project. */
const OWN_PROJECT = /\b(of|in|for)\s+(this|our|my)\b/i;

/** Longest query sent; the sentence is cut at a word boundary below it. */
const MAX_QUERY_CHARS = 200;

/**
 * The sentence to search for, or undefined when the question does not plainly need fresh facts.
 *
 * @example
 * detectFreshFactsQuery("Before we upgrade: what is the latest stable version of Bun? Then bump it."); // => "what is the latest stable version of Bun?"
 * detectFreshFactsQuery("Show me the latest commit on this branch"); // => undefined
 */
export function detectFreshFactsQuery(question: string): string | undefined {
  for (const sentence of splitSentences(question)) {
    if (CODE_TASK.test(sentence) && !ASKS.test(sentence)) continue;
    const match = FRESH_FACTS.map((pattern) => pattern.exec(sentence)).find((found) => found !== null);
    if (!match) continue;
    if (LOCAL_SUBJECTS.test(sentence) && !FRESH_FACTS.some((pattern) => pattern.test(sentence.replace(LOCAL_SUBJECTS, "")))) continue;
    if (OWN_PROJECT.test(sentence.slice(match.index + match[0].length, match.index + match[0].length + 12))) continue;
    return shorten(sentence);
  }
  return undefined;
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.?!])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
}

function shorten(sentence: string): string {
  if (sentence.length <= MAX_QUERY_CHARS) return sentence;
  const cut = sentence.slice(0, MAX_QUERY_CHARS);
  return cut.slice(0, cut.lastIndexOf(" ") > 0 ? cut.lastIndexOf(" ") : MAX_QUERY_CHARS);
}
