/**
 * The tokenizer all-MiniLM-L6-v2 ships with, on the BERT uncased vocabulary built into
 * anyclaude (models/bert-base-uncased-vocab.txt, embedded in the binary as text).
 */
import vocabText from "../../models/bert-base-uncased-vocab.txt" with { type: "text" };
import { WordPieceTokenizer } from "./wordpiece-tokenizer";

let shared: WordPieceTokenizer | undefined;

/**
 * Built on first use (about 30,000 map entries) and shared: the vocabulary never changes.
 *
 * @example
 * loadBertUncasedTokenizer().encode("hello world").ids; // [101, 7592, 2088, 102]
 */
export function loadBertUncasedTokenizer(): WordPieceTokenizer {
  shared ??= WordPieceTokenizer.fromVocabText(vocabText);
  return shared;
}
