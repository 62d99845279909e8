/**
 * Finds where a JSON object or array that arrives in pieces ends, reading each character once:
 * a text-form tool call is held back until its JSON is complete, and re-reading the held text
 * on every streamed chunk would cost time in proportion to its square.
 */

/**
 * Strings in single quotes count as strings too: small models write Python-style dicts, and a
 * `'` outside a double-quoted string cannot occur in valid JSON anyway.
 *
 * @example
 * const finder = new JsonValueEndFinder(0);
 * finder.find('{"a":"}"'); // -1 (not closed yet)
 * finder.find('{"a":"}"}'); // 9
 */
export class JsonValueEndFinder {
  private position: number;
  private depth = 0;
  private quote = "";
  private escaped = false;

  /** `start` is the index of the opening `{` or `[` in the text that `find` will be given. */
  constructor(start: number) {
    this.position = start;
  }

  /** The index just after the value's end, or -1 while it is still open. `text` may only grow between calls. */
  find(text: string): number {
    for (let i = this.position; i < text.length; i++) {
      const ch = text[i]!;
      if (this.quote !== "") {
        if (this.escaped) this.escaped = false;
        else if (ch === "\\") this.escaped = true;
        else if (ch === this.quote) this.quote = "";
      } else if (ch === '"' || ch === "'") {
        this.quote = ch;
      } else if (ch === "{" || ch === "[") {
        this.depth++;
      } else if ((ch === "}" || ch === "]") && --this.depth === 0) {
        this.position = i + 1;
        return i + 1;
      }
    }
    this.position = text.length;
    return -1;
  }
}
