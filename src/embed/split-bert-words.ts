/**
 * BERT's "basic tokenizer" for uncased models: the text is cleaned, CJK ideographs are set
 * apart, accents are stripped, letters lowercased, and the result split into words and single
 * punctuation marks, ready for WordPiece. It follows the Rust `tokenizers` BertNormalizer and
 * BertPreTokenizer that all-MiniLM-L6-v2's tokenizer.json configures, step for step. ASCII
 * characters take a fast path: a pasted 50 KB file is mostly ASCII, and the Unicode property
 * tests cost several times more per character.
 */

const CONTROL = /\p{C}/u;
const WHITESPACE = /\p{White_Space}/u;
const PUNCTUATION = /\p{P}/u;
const NONSPACING_MARKS = /\p{Mn}/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range by definition starts at NUL
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * @example
 * splitBertWords("Café naïve, 世界!"); // ["cafe", "naive", ",", "世", "界", "!"]
 */
export function splitBertWords(text: string): string[] {
  const words: string[] = [];
  let wordStart = -1;
  const normalized = stripAccentsAndLowercase(cleanBertText(text));
  let offset = 0;
  for (const char of normalized) {
    const kind = classifyCharacter(char);
    if (kind === "letter") {
      if (wordStart < 0) wordStart = offset;
    } else {
      if (wordStart >= 0) words.push(normalized.slice(wordStart, offset));
      wordStart = -1;
      if (kind === "alone") words.push(char);
    }
    offset += char.length;
  }
  if (wordStart >= 0) words.push(normalized.slice(wordStart));
  return words;
}

/**
 * Drops NUL, U+FFFD and control/format characters (tab, newline and carriage return are kept
 * as whitespace), and turns every kind of whitespace into a plain space.
 */
function cleanBertText(text: string): string {
  let cleaned = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 9 || code === 10 || code === 13) cleaned += " ";
    else if (code < 32 || code === 127 || code === 0xfffd || (code > 127 && CONTROL.test(char))) continue;
    else cleaned += code > 127 && WHITESPACE.test(char) ? " " : char;
  }
  return cleaned;
}

/**
 * Accents go first, lowercasing after. The Rust tokenizer lowercases one character at a time;
 * String.prototype.toLowerCase matches that except for the Greek final-sigma rule, which
 * mapping Σ to σ beforehand turns off.
 */
function stripAccentsAndLowercase(text: string): string {
  const unaccented = NON_ASCII.test(text) ? text.normalize("NFD").replace(NONSPACING_MARKS, "") : text;
  return unaccented.replaceAll("Σ", "σ").toLowerCase();
}

/** `space` ends a word; `alone` (punctuation, a CJK ideograph) ends it and is a word of its own. */
function classifyCharacter(char: string): "letter" | "space" | "alone" {
  const code = char.codePointAt(0)!;
  if (code < 128) {
    if (code === 32) return "space";
    // ASCII symbols such as `$`, `+`, `^` count as punctuation for BERT, though Unicode files them as symbols.
    const isAsciiPunctuation =
      (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
    return isAsciiPunctuation ? "alone" : "letter";
  }
  if (WHITESPACE.test(char)) return "space";
  return PUNCTUATION.test(char) || isCjkIdeograph(code) ? "alone" : "letter";
}

/** The CJK Unified Ideographs blocks BERT tokenizes one character at a time (not Hangul, Hiragana or Katakana). */
function isCjkIdeograph(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}
