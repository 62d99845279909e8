/**
 * Two prompts built from one template (Claude Code's session-title request wraps the session in
 * the same instructions every time) share most of their text, and mean-pooled embeddings of
 * them come out close however different the part that matters is: measured with the stand-in
 * model, two unrelated sessions in the title template scored 0.93 against 0.30 bare. So a
 * semantic match is confirmed on what remains once the lines the two texts begin and end
 * with in common are set aside.
 */

/**
 * Lines, not characters: a template's fixed parts sit on lines of their own, while a shared
 * word prefix ("Please write a haiku…") is part of the question and must stay in.
 *
 * @example
 * stripSharedLines("<s>\nsay hi\n</s>\nWrite a title.", "<s>\nfix the parser\n</s>\nWrite a title.");
 * // ["say hi", "fix the parser"]
 */
export function stripSharedLines(a: string, b: string): [string, string] {
  const linesA = a.split("\n");
  const linesB = b.split("\n");
  let head = 0;
  while (head < linesA.length && head < linesB.length && linesA[head] === linesB[head]) head++;
  let tail = 0;
  while (
    tail < linesA.length - head &&
    tail < linesB.length - head &&
    linesA[linesA.length - 1 - tail] === linesB[linesB.length - 1 - tail]
  )
    tail++;
  return [
    linesA
      .slice(head, linesA.length - tail)
      .join("\n")
      .trim(),
    linesB
      .slice(head, linesB.length - tail)
      .join("\n")
      .trim(),
  ];
}
