/**
 * The tokenizer of all-MiniLM-L6-v2 against ids known from the real BERT uncased vocabulary,
 * and its edge cases: accents, CJK ideographs, punctuation, long words, control characters,
 * truncation to 256 tokens (head and tail kept), the empty string.
 */
import { describe, expect, test } from "bun:test";
import { loadBertUncasedTokenizer } from "../../../src/embed/bert-uncased-tokenizer";
import { splitBertWords } from "../../../src/embed/split-bert-words";
import { MINILM_MAX_TOKENS, WordPieceTokenizer } from "../../../src/embed/wordpiece-tokenizer";

const tokenizer = loadBertUncasedTokenizer();
const CLS = 101;
const SEP = 102;
const UNK = 100;
const ids = (text: string) => tokenizer.encode(text).ids;

describe("WordPiece on the BERT uncased vocabulary", () => {
  test("the reference sentence gives the reference ids", () => {
    expect(ids("how do i sort a list in python?")).toEqual([101, 2129, 2079, 1045, 4066, 1037, 2862, 1999, 18750, 1029, 102]);
    expect(tokenizer.encode("how do i sort a list in python?").truncated).toBe(false);
  });

  test("uppercase is lowercased", () => {
    expect(ids("How Do I SORT a List in PYTHON?")).toEqual(ids("how do i sort a list in python?"));
  });

  test("accents are stripped: Café naïve is cafe naive", () => {
    expect(ids("Café naïve")).toEqual([CLS, 7668, 15743, SEP]);
    expect(ids("cafe naive")).toEqual([CLS, 7668, 15743, SEP]);
    // The decomposed spelling (e + combining acute) is the same text to the tokenizer.
    expect(ids("Cafe\u0301 nai\u0308ve")).toEqual(ids("cafe naive"));
  });

  test("each CJK ideograph is its own token, even glued to other letters", () => {
    expect(ids("日本人")).toEqual([CLS, 1864, 1876, 1756, SEP]);
    expect(ids("hello世界")).toEqual([CLS, 7592, 1745, UNK, SEP]);
    expect(splitBertWords("python中国")).toEqual(["python", "中", "国"]);
  });

  test("punctuation splits words and stands alone; ASCII symbols count as punctuation", () => {
    expect(ids("hello, world!")).toEqual([CLS, 7592, 1010, 2088, 999, SEP]);
    expect(ids("don't")).toEqual([CLS, 2123, 1005, 1056, SEP]);
    expect(splitBertWords("a+b=c $5 x^2 «quoted» it’s")).toEqual([
      "a",
      "+",
      "b",
      "=",
      "c",
      "$",
      "5",
      "x",
      "^",
      "2",
      "«",
      "quoted",
      "»",
      "it",
      "’",
      "s",
    ]);
  });

  test("a word is cut greedily into the longest pieces the vocabulary has", () => {
    const pieces = ids("unaffable");
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.slice(1, -1)).not.toContain(UNK);
    // Continuation pieces are ## tokens: "##s" is 2015, while "s" alone is 1055.
    expect(ids("cats")).toEqual([CLS, 8870, SEP]);
    expect(ids("pythons")).toEqual([CLS, 18750, 2015, SEP]);
  });

  test("a word over 100 characters is one [UNK]; 100 characters are still cut into pieces", () => {
    expect(ids(`start ${"a".repeat(101)} end`)).toEqual([CLS, 2707, UNK, 2203, SEP]);
    const hundred = ids("a".repeat(100)).slice(1, -1);
    expect(hundred.length).toBeGreaterThan(1);
    expect(hundred).not.toContain(UNK);
  });

  test("a word with a character the vocabulary lacks is one [UNK], not partly kept", () => {
    expect(ids("abc\u{1F600}def")).toEqual([CLS, UNK, SEP]);
  });

  test("control and format characters vanish; every kind of whitespace separates", () => {
    expect(ids("hel\u200blo\u0000 wor\u0007ld")).toEqual(ids("hello world"));
    expect(ids("hello\u00a0world\tand\nmore\r\nlines\u2028end")).toEqual(ids("hello world and more lines end"));
  });

  test("Greek capitals lowercase letter by letter, without the final-sigma rule", () => {
    expect(splitBertWords("ΟΔΟΣ")).toEqual(["οδοσ"]);
  });

  test("the empty string and whitespace alone are [CLS] [SEP]", () => {
    expect(tokenizer.encode("")).toEqual({ ids: [CLS, SEP], truncated: false });
    expect(ids(" \n\t ")).toEqual([CLS, SEP]);
  });
});

describe("truncation to 256 tokens", () => {
  // "hello" is one piece, 7592; "world" is 2088.
  const words = (count: number, word: string) => Array.from({ length: count }, () => word).join(" ");

  test("254 pieces fit exactly with [CLS] and [SEP]", () => {
    const encoding = tokenizer.encode(words(254, "hello"));
    expect(encoding.ids.length).toBe(256);
    expect(encoding.truncated).toBe(false);
  });

  test("a longer text keeps its first 127 and last 127 pieces and says it was truncated", () => {
    const text = `${words(200, "hello")} ${words(300, "the")} ${words(200, "world")}`;
    const encoding = tokenizer.encode(text);
    expect(encoding.truncated).toBe(true);
    expect(encoding.ids.length).toBe(MINILM_MAX_TOKENS);
    expect(encoding.ids[0]).toBe(CLS);
    expect(encoding.ids.at(-1)).toBe(SEP);
    expect(encoding.ids.slice(1, 128)).toEqual(Array(127).fill(7592));
    expect(encoding.ids.slice(128, 255)).toEqual(Array(127).fill(2088));
  });

  test("two long texts that differ only at the end stay different", () => {
    const opening = words(400, "hello");
    expect(ids(`${opening} how do i sort a list in python?`)).not.toEqual(ids(`${opening} what is the capital of france?`));
  });

  test("a word split across the cut keeps its pieces on each side", () => {
    // 300 pieces of one word repeated: whichever word straddles the cut, the counts still hold.
    const encoding = tokenizer.encode(words(150, "pythons"));
    expect(encoding.truncated).toBe(true);
    expect(encoding.ids.length).toBe(256);
    expect(encoding.ids.slice(1, 128).filter((id) => id === 18750).length).toBe(64);
  });

  test("a smaller limit applies the same policy", () => {
    const small = new WordPieceTokenizer(
      new Map([
        ["[PAD]", 0],
        ["[UNK]", 1],
        ["[CLS]", 2],
        ["[SEP]", 3],
        ["a", 4],
        ["b", 5],
        ["c", 6],
      ]),
      { maxTokens: 5 },
    );
    expect(small.encode("a b c a b c")).toEqual({ ids: [2, 4, 5, 6, 3], truncated: true });
    expect(small.encode("a b c")).toEqual({ ids: [2, 4, 5, 6, 3], truncated: false });
  });
});

describe("WordPieceTokenizer.fromVocabText", () => {
  test("reads vocab.txt: the line number is the id; CRLF files work", () => {
    const small = WordPieceTokenizer.fromVocabText("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nplay\r\n##ing\r\n");
    expect(small.encode("Playing").ids).toEqual([2, 4, 5, 3]);
    expect(small.padId).toBe(0);
  });

  test("a vocabulary without BERT's special tokens is refused", () => {
    expect(() => WordPieceTokenizer.fromVocabText("a\nb\n")).toThrow("the vocabulary has no [PAD]; is it a BERT vocab.txt?");
  });
});
