/**
 * The opaque strings of web search blocks (`encrypted_content`, `encrypted_index`): Anthropic
 * encrypts them; anyclaude has no secret to keep from the client, so they carry, as base64url
 * JSON, what it needs to show a result to the model again when a client sends it back.
 */
import type { WebSearchResult } from "./web-search-types";

/** A result with the number the model cites it by (`[3]`), unique within a conversation. */
export interface NumberedSearchResult extends WebSearchResult {
  number: number;
}

interface Encoded {
  n: number;
  u: string;
  t: string;
  s: string;
  a?: string;
}

/**
 * @example
 * encodeSearchResult({ number: 1, url: "https://bun.sh", title: "Bun", snippet: "A runtime" }); // "eyJuIjoxLC…"
 */
export function encodeSearchResult(result: NumberedSearchResult): string {
  const encoded: Encoded = { n: result.number, u: result.url, t: result.title, s: result.snippet };
  if (result.pageAge !== undefined) encoded.a = result.pageAge;
  return Buffer.from(JSON.stringify(encoded)).toString("base64url");
}

/**
 * Undefined for a string anyclaude did not write (Anthropic's own, from a conversation begun there).
 *
 * @example
 * decodeSearchResult(encodeSearchResult(result)); // result
 * decodeSearchResult("EqgfCioIAxgCIiQ…"); // undefined
 */
export function decodeSearchResult(text: unknown): NumberedSearchResult | undefined {
  if (typeof text !== "string") return undefined;
  let value: Partial<Encoded>;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Encoded>;
  } catch {
    return undefined;
  }
  if (typeof value?.n !== "number" || typeof value.u !== "string" || typeof value.t !== "string" || typeof value.s !== "string")
    return undefined;
  return { number: value.n, url: value.u, title: value.t, snippet: value.s, ...(typeof value.a === "string" ? { pageAge: value.a } : {}) };
}
