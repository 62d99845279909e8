/**
 * Reads what a package.json says about its licence (an SPDX expression, or the `license`
 * object and `licenses` array of old packages) and decides whether an allow-list permits it.
 * A small recursive-descent reader: OR needs one side allowed, AND both, `WITH` an exception
 * keeps the licence's own verdict, and ids compare case-insensitively as SPDX says.
 */

/** What `license` / `licenses` may hold in a package.json, old forms included. */
export type PackageLicenceField = string | { type?: string } | Array<string | { type?: string }> | undefined;

/**
 * Undefined when the package states no licence. An old `licenses` array lists the licences the
 * package is offered under (dual licensing), so it reads as their OR.
 *
 * @example
 * readLicenceExpression({ type: "MIT" }); // "MIT"
 * readLicenceExpression([{ type: "MIT" }, { type: "Apache-2.0" }]); // "(MIT) OR (Apache-2.0)"
 */
export function readLicenceExpression(field: PackageLicenceField): string | undefined {
  if (typeof field === "string") return field.trim() || undefined;
  if (Array.isArray(field)) {
    const parts = field.map((entry) => readLicenceExpression(entry)).filter((part): part is string => part !== undefined);
    return parts.length === 0 ? undefined : parts.map((part) => `(${part})`).join(" OR ");
  }
  return typeof field?.type === "string" ? readLicenceExpression(field.type) : undefined;
}

/**
 * False for anything it cannot read (`SEE LICENSE IN …`, a stray word): those need an
 * explicit exception with a reason, never a silent pass.
 *
 * @example
 * const allowed = new Set(["mit", "apache-2.0"]);
 * isLicenceExpressionAllowed("(MIT OR GPL-3.0-or-later)", allowed); // true
 * isLicenceExpressionAllowed("MIT AND GPL-3.0-only", allowed); // false
 */
export function isLicenceExpressionAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at]?.toUpperCase();

  const readPrimary = (): boolean => {
    const token = tokens[at++];
    if (token === undefined) throw new Error("expression ends early");
    if (token === "(") {
      const value = readOr();
      if (tokens[at++] !== ")") throw new Error("unclosed parenthesis");
      return value;
    }
    if (token === ")" || ["AND", "OR", "WITH"].includes(token.toUpperCase())) throw new Error(`unexpected ${token}`);
    // `LGPL-2.1+` means "this version or later": judged by the named version.
    const value = allowed.has(token.replace(/\+$/, "").toLowerCase());
    if (peek() === "WITH") {
      at++;
      if (tokens[at++] === undefined) throw new Error("WITH needs an exception");
    }
    return value;
  };
  const readAnd = (): boolean => {
    let value = readPrimary();
    while (peek() === "AND") {
      at++;
      value = readPrimary() && value;
    }
    return value;
  };
  const readOr = (): boolean => {
    let value = readAnd();
    while (peek() === "OR") {
      at++;
      value = readAnd() || value;
    }
    return value;
  };

  try {
    const value = readOr();
    return at === tokens.length && value;
  } catch {
    // Not an SPDX expression: not allowed, and the caller lists it for a human to decide.
    return false;
  }
}
