/** The stand-in MiniLM model: byte-identical from one run to the next, a new seed a new model, about 600 KB. */
import { expect, test } from "bun:test";
import { generateMiniLMStandin } from "../../support/generate-minilm-standin";

test("deterministic: the same bytes every time; another seed, other bytes of the same size", () => {
  const first = generateMiniLMStandin();
  expect(generateMiniLMStandin()).toEqual(first);
  const other = generateMiniLMStandin({ seed: 2 });
  expect(other.length).toBe(first.length);
  expect(other).not.toEqual(first);
});

test("about 600 KB: the 384×384 mixing matrix and a few small tensors", () => {
  const size = generateMiniLMStandin().length;
  expect(size).toBeGreaterThan(384 * 384 * 4);
  expect(size).toBeLessThan(700_000);
});
