/**
 * Finds where a JSON value that arrives in pieces ends, reading each character once: a
 * text-form tool call is held back until its JSON is complete, and re-reading the held text on
 * every streamed chunk would cost time in proportion to its square.
 */
import type { HeldText } from "./held-text";

/**
 * Objects, arrays and strings (arguments sent as a JSON string). Strings in single quotes count
 * too: small models write Python-style dicts, and a `'` outside a double-quoted string cannot
 * occur in valid JSON anyway.
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
  private end = -1;

  /** `start` is the index of the value's first character (`{`, `[` or a quote) in the text to be read. */
  constructor(start: number) {
    this.position = start;
  }

  /** The index just after the value's end (the same on every later call), or -1 while it is still open. `text` may only grow between calls. */
  find(text: string): number {
    return this.scan(text.slice(this.position), this.position);
  }

  /** The same for held text, reading only what arrived since the last call. */
  findIn(held: HeldText): number {
    return this.scan(held.slice(this.position), this.position);
  }

  private scan(window: string, windowStart: number): number {
    if (this.end !== -1) return this.end;
    for (let i = 0; i < window.length; i++) {
      const ch = window[i]!;
      if (this.quote !== "") {
        if (this.escaped) this.escaped = false;
        else if (ch === "\\") this.escaped = true;
        else if (ch === this.quote) {
          this.quote = "";
          if (this.depth === 0) return this.endAt(windowStart + i + 1);
        }
      } else if (ch === '"' || ch === "'") {
        this.quote = ch;
      } else if (ch === "{" || ch === "[") {
        this.depth++;
      } else if ((ch === "}" || ch === "]") && --this.depth === 0) {
        return this.endAt(windowStart + i + 1);
      }
    }
    this.position = windowStart + window.length;
    return -1;
  }

  private endAt(end: number): number {
    this.end = end;
    return end;
  }
}
