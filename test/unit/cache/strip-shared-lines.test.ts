import { expect, test } from "bun:test";
import { stripSharedLines } from "../../../src/cache/strip-shared-lines";

const template = (session: string) => `<session>\n${session}\n</session>\n\nWrite the title in the predominant language of the session.`;

test("sets aside the lines two texts begin and end with in common", () => {
  expect(stripSharedLines(template("say hi"), template("fix the parser\nand its tests"))).toEqual([
    "say hi",
    "fix the parser\nand its tests",
  ]);
});

test("keeps a shared word prefix inside a line: it is part of the question", () => {
  expect(stripSharedLines("Please write a haiku", "Please write a limerick")).toEqual(["Please write a haiku", "Please write a limerick"]);
});

test("identical texts leave nothing; a text that only adds lines leaves only those on its side", () => {
  expect(stripSharedLines(template("x"), template("x"))).toEqual(["", ""]);
  expect(stripSharedLines("a\nb", "a\nnew\nb")).toEqual(["", "new"]);
});
