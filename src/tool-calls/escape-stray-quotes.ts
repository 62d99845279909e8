/**
 * Escapes the double quotes a model left unescaped inside a string (`"say "hi" twice"`), the
 * one common mistake jsonrepair cannot mend: a quote ends a string only where JSON can go on
 * after it (`:`, `}`, `]`, or `,` followed by what may come next in that object or array).
 */

/**
 * @example
 * escapeStrayQuotes('{"content": "a "quoted", {word}"}'); // '{"content": "a \\"quoted\\", {word}"}'
 */
export function escapeStrayQuotes(text: string): string {
  const containers: string[] = [];
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') {
        if (!canEndString(text, i + 1, containers.at(-1))) {
          out += '\\"';
          continue;
        }
        inString = false;
      }
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") containers.push(ch);
    else if (ch === "}" || ch === "]") containers.pop();
    out += ch;
  }
  return out;
}

function canEndString(text: string, from: number, container: string | undefined): boolean {
  const next = nextNonSpace(text, from);
  if (next === -1) return true;
  const ch = text[next]!;
  if (ch === ":" || ch === "}" || ch === "]") return true;
  if (ch !== ",") return false;
  const after = nextNonSpace(text, next + 1);
  if (after === -1) return true;
  // In an object a comma is followed by the next key; in an array by any value.
  return container === "{" ? text[after] === '"' || text[after] === "}" : /["{[\-0-9tfn\]]/.test(text[after]!);
}

function nextNonSpace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (!/\s/.test(text[i]!)) return i;
  return -1;
}
