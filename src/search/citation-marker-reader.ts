/**
 * Finds the citation markers (`[1]`, `[2, 3]`) the model writes after a statement drawn from a
 * web search result, in text that may arrive in pieces: a piece that ends inside what could
 * still become a marker (`[`, `[1`), or in spaces that would sit before one, is held back until
 * the next piece shows which. `arr[1]` is code, not a citation; a number no result has stays text.
 */
import type { WebSearchResultLocation } from "../protocol/anthropic/messages";
import { HeldText } from "../tool-calls/held-text";

export type CitedPiece = { type: "text"; text: string } | { type: "citation"; citations: WebSearchResultLocation[] };

const MARKER = /\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g;
/** The end of a piece that a later piece could turn into a marker, or a marker preceded by these spaces. */
const OPEN_END = /(?:\s+|\s*\[[\d\s,]{0,24})$/;
/** `arr[1]`, `x_[2]`, `v2[0]`: a bracket right after a word character is code, not a citation. */
const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/**
 * @example
 * const reader = new CitationMarkerReader((n) => locations.get(n));
 * reader.push("Bun 1.3 came out in October [");
 * // => [{ type: "text", text: "Bun 1.3 came out in October" }]
 * reader.push("1].");
 * // => [{ type: "citation", citations: [location1] }, { type: "text", text: "." }]
 */
export class CitationMarkerReader {
  readonly #held = new HeldText();
  /** The last character given out (`]` after a marker), to tell `see [1]` from `arr[1]` across pieces. */
  #last = "";

  constructor(private readonly locate: (number: number) => WebSearchResultLocation | undefined) {}

  push(text: string): CitedPiece[] {
    this.#held.push(text);
    const all = this.#held.slice(0);
    const open = OPEN_END.exec(all);
    const upTo = open ? open.index : all.length;
    return this.#read(this.#held.take(upTo));
  }

  /** The end of the text: what was held back is text after all, unless it ends in a whole marker. */
  flush(): CitedPiece[] {
    return this.#read(this.#held.take(this.#held.length));
  }

  #read(text: string): CitedPiece[] {
    const pieces: CitedPiece[] = [];
    let from = 0;
    for (const match of text.matchAll(MARKER)) {
      const before = text.slice(from, match.index);
      const citations = this.#locateAll(match[1]!);
      if (!citations || WORD_CHARACTER.test(before === "" ? this.#last : before.at(-1)!)) continue;
      // The spaces between a statement and its marker belong to neither.
      const statement = before.trimEnd();
      if (statement !== "") pieces.push({ type: "text", text: statement });
      pieces.push({ type: "citation", citations });
      this.#last = "]";
      from = match.index + match[0].length;
    }
    const rest = text.slice(from);
    if (rest !== "") {
      pieces.push({ type: "text", text: rest });
      this.#last = rest.at(-1)!;
    }
    return pieces;
  }

  #locateAll(list: string): WebSearchResultLocation[] | undefined {
    const locations = list.split(",").map((part) => this.locate(Number(part.trim())));
    return locations.every((location) => location !== undefined) ? (locations as WebSearchResultLocation[]) : undefined;
  }
}
