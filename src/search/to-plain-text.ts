/**
 * Providers' snippets come as HTML fragments (Brave's `<strong>` highlights, DuckDuckGo's page
 * text with entities): reduced to plain text before they reach a model, so no markup of a
 * result page passes through as if it were ours.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * @example
 * toPlainText("Bun is <strong>fast</strong> &amp; small&#x21;"); // => "Bun is fast & small!"
 */
export function toPlainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => decodeEntity(name) ?? entity)
    .replace(/\s+/g, " ")
    .trim();
}

function decodeEntity(name: string): string | undefined {
  if (name[0] !== "#") return NAMED_ENTITIES[name.toLowerCase()];
  const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
