/**
 * The tokenizer of all-MiniLM-L6-v2 (BERT uncased WordPiece): text to the ids the model reads,
 * `[CLS] pieces… [SEP]`, at most 256 tokens. Words come from splitBertWords; each word is cut
 * into the longest pieces the vocabulary has, continuations spelled `##piece`.
 *
 * Truncation keeps the head and the tail (127 pieces each) and drops the middle. The vectors
 * key a semantic cache: two long requests that share an opening (the same pasted file, the same
 * preamble) and differ only in the question at their end must not look identical, which they
 * would if only the head were kept as sentence-transformers does. Texts that long still differ
 * from their originals in the middle unseen; `truncated` tells callers so.
 */
import { splitBertWords } from "./split-bert-words";

export const MINILM_MAX_TOKENS = 256;
/** BERT's limit: a longer "word" (a hash, a minified line) becomes one [UNK] instead of dozens of pieces. */
const MAX_WORD_CHARS = 100;
const CONTINUATION = "##";

export interface WordPieceEncoding {
  /** `[CLS]`, the pieces, `[SEP]`. */
  ids: number[];
  /** Whether pieces were dropped to fit `maxTokens`. */
  truncated: boolean;
}

export interface WordPieceTokenizerOptions {
  /** Including [CLS] and [SEP]; default 256, all-MiniLM-L6-v2's max_seq_length. */
  maxTokens?: number;
}

export class WordPieceTokenizer {
  readonly maxTokens: number;
  readonly padId: number;
  private readonly unknownId: number;
  private readonly clsId: number;
  private readonly sepId: number;

  /**
   * @example
   * const tokenizer = WordPieceTokenizer.fromVocabText(readFileSync("vocab.txt", "utf8"));
   */
  static fromVocabText(vocabText: string, options: WordPieceTokenizerOptions = {}): WordPieceTokenizer {
    const vocab = new Map<string, number>();
    const lines = vocabText.split("\n");
    if (lines.at(-1) === "") lines.pop();
    for (const [id, token] of lines.entries()) vocab.set(token.replace(/\r$/, ""), id);
    return new WordPieceTokenizer(vocab, options);
  }

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    options: WordPieceTokenizerOptions = {},
  ) {
    this.maxTokens = options.maxTokens ?? MINILM_MAX_TOKENS;
    if (this.maxTokens < 2) throw new Error(`maxTokens must leave room for [CLS] and [SEP], not ${this.maxTokens}`);
    const special = (token: string) => {
      const id = vocab.get(token);
      if (id === undefined) throw new Error(`the vocabulary has no ${token}; is it a BERT vocab.txt?`);
      return id;
    };
    this.padId = special("[PAD]");
    this.unknownId = special("[UNK]");
    this.clsId = special("[CLS]");
    this.sepId = special("[SEP]");
  }

  /**
   * @example
   * tokenizer.encode("how do i sort a list in python?");
   * // { ids: [101, 2129, 2079, 1045, 4066, 1037, 2862, 1999, 18750, 1029, 102], truncated: false }
   */
  encode(text: string): WordPieceEncoding {
    const words = splitBertWords(text);
    const room = this.maxTokens - 2;
    // Only the words that can reach the head or the tail are cut into pieces: a pasted 50 KB
    // file costs the word split, not 10,000 vocabulary searches.
    const head: number[] = [];
    for (let index = 0; index < words.length && head.length <= room; index++) head.push(...this.splitWordIntoPieces(words[index]!));
    if (head.length <= room) return { ids: [this.clsId, ...head, this.sepId], truncated: false };
    const tailSize = Math.floor(room / 2);
    const tail: number[] = [];
    for (let index = words.length - 1; index >= 0 && tail.length < tailSize; index--)
      tail.unshift(...this.splitWordIntoPieces(words[index]!));
    return { ids: [this.clsId, ...head.slice(0, room - tailSize), ...tail.slice(tail.length - tailSize), this.sepId], truncated: true };
  }

  /** Greedy longest match from the left; a word with any part the vocabulary lacks is one [UNK]. */
  private splitWordIntoPieces(word: string): number[] {
    const chars = Array.from(word);
    if (chars.length > MAX_WORD_CHARS) return [this.unknownId];
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = chars.slice(start, end).join("");
        found = this.vocab.get(start === 0 ? piece : CONTINUATION + piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unknownId];
      ids.push(found);
      start = end;
    }
    return ids;
  }
}
