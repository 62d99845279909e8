/**
 * Domain filters as Anthropic's web search applies them: a domain covers its subdomains and not
 * look-alikes, an entry with a path covers pages under it, scheme and case do not matter, and
 * a result whose URL cannot be read is left out once a filter applies.
 */
import { expect, test } from "bun:test";
import { filterResultsByDomain } from "../../../src/search/filter-results-by-domain";

const at = (url: string) => ({ url, title: url, snippet: "" });
const URLS = [
  "https://example.com/",
  "https://docs.example.com/guide",
  "https://badexample.com/",
  "https://example.com/blog/post",
  "https://example.com/blogger",
  "https://EXAMPLE.org./",
  "not a url",
];

test.each([
  [
    { allowedDomains: ["example.com"] },
    ["https://example.com/", "https://docs.example.com/guide", "https://example.com/blog/post", "https://example.com/blogger"],
  ],
  [{ allowedDomains: ["docs.example.com"] }, ["https://docs.example.com/guide"]],
  [{ allowedDomains: ["example.com/blog"] }, ["https://example.com/blog/post"]],
  [{ allowedDomains: ["https://Example.org"] }, ["https://EXAMPLE.org./"]],
  [{ blockedDomains: ["example.com"] }, ["https://badexample.com/", "https://EXAMPLE.org./"]],
  [
    { blockedDomains: ["example.com/blog"] },
    [
      "https://example.com/",
      "https://docs.example.com/guide",
      "https://badexample.com/",
      "https://example.com/blogger",
      "https://EXAMPLE.org./",
    ],
  ],
  [
    { allowedDomains: ["example.com"], blockedDomains: ["docs.example.com"] },
    ["https://example.com/", "https://example.com/blog/post", "https://example.com/blogger"],
  ],
  [{}, URLS],
])("%j keeps the expected results", (filters, kept) => {
  expect(filterResultsByDomain(URLS.map(at), filters).map((result) => result.url)).toEqual(kept);
});
