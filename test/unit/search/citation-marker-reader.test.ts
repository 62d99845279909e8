/**
 * The citation markers the model writes: found whole or split anywhere across pieces, `arr[1]`
 * and numbers no result has left as text, the spaces before a marker dropped.
 */
import { describe, expect, test } from "bun:test";
import type { WebSearchResultLocation } from "../../../src/protocol/anthropic/messages";
import { CitationMarkerReader, type CitedPiece } from "../../../src/search/citation-marker-reader";

const location = (number: number): WebSearchResultLocation => ({
  type: "web_search_result_location",
  url: `https://example.com/${number}`,
  title: `Result ${number}`,
  encrypted_index: String(number),
  cited_text: `text ${number}`,
});
const locate = (number: number) => (number >= 1 && number <= 3 ? location(number) : undefined);

/** Pieces merged as a client would see them: adjacent texts joined, citations by number. */
function read(pieces: readonly string[]): string {
  const reader = new CitationMarkerReader(locate);
  const out: CitedPiece[] = [...pieces.flatMap((piece) => reader.push(piece)), ...reader.flush()];
  return out.map((piece) => (piece.type === "text" ? piece.text : `{${piece.citations.map((c) => c.encrypted_index).join("+")}}`)).join("");
}

const CASES: Array<[string, string]> = [
  ["Bun 1.3 is out [1].", "Bun 1.3 is out{1}."],
  ["Two sources [1][2] agree.", "Two sources{1}{2} agree."],
  ["A list [1, 3] here.", "A list{1+3} here."],
  ["Right after a period.[2] Next.", "Right after a period.{2} Next."],
  ["Code: arr[1] and x_[2] stay.", "Code: arr[1] and x_[2] stay."],
  ["No such result [7] stays, nor [1, 9].", "No such result [7] stays, nor [1, 9]."],
  ["An open bracket [ at the end [", "An open bracket [ at the end ["],
  ["Trailing spaces   ", "Trailing spaces   "],
  ["[1] at the start.", "{1} at the start."],
  ["Indented\n    code [2]", "Indented\n    code{2}"],
];

describe("whole text", () => {
  test.each(CASES)("%j", (text, expected) => {
    expect(read([text])).toBe(expected);
  });
});

describe("split at every point", () => {
  test.each(CASES)("%j", (text, expected) => {
    for (let at = 1; at < text.length; at++) expect(read([text.slice(0, at), text.slice(at)])).toBe(expected);
    expect(read([...text])).toBe(expected);
  });
});

test("only spaces or a partial marker are held back", () => {
  const reader = new CitationMarkerReader(locate);
  expect(reader.push("Bun 1.3 came out in October [")).toEqual([{ type: "text", text: "Bun 1.3 came out in October" }]);
  expect(reader.push("1].")).toEqual([
    { type: "citation", citations: [location(1)] },
    { type: "text", text: "." },
  ]);
  expect(reader.flush()).toEqual([]);
});
