/** The SPDX-expression check behind scripts/check-licences.ts: OR, AND, WITH, parentheses, old package.json forms, and what it must refuse. */
import { describe, expect, test } from "bun:test";
import { isLicenceExpressionAllowed, readLicenceExpression } from "../../../scripts/licence-expression";

const ALLOWED = new Set(["mit", "apache-2.0", "bsd-3-clause", "cc0-1.0", "zlib", "lgpl-2.1"]);

describe("isLicenceExpressionAllowed", () => {
  const cases: Array<[string, boolean]> = [
    ["MIT", true],
    ["mit", true],
    ["Apache-2.0", true],
    ["GPL-3.0-only", false],
    ["MIT OR GPL-3.0-or-later", true],
    ["(MIT OR GPL-3.0-or-later)", true],
    ["GPL-2.0 OR AGPL-3.0", false],
    ["MIT AND Zlib", true],
    ["(MIT AND Zlib)", true],
    ["MIT AND GPL-3.0-only", false],
    ["GPL-3.0-only AND MIT", false],
    // AND binds tighter than OR: (GPL AND MIT) OR BSD.
    ["GPL-3.0-only AND MIT OR BSD-3-Clause", true],
    ["GPL-3.0-only AND (MIT OR BSD-3-Clause)", false],
    ["((MIT OR CC0-1.0) AND (Apache-2.0 OR GPL-2.0))", true],
    ["Apache-2.0 WITH LLVM-exception", true],
    ["GPL-2.0-only WITH Classpath-exception-2.0", false],
    ["LGPL-2.1+", true],
    ["SEE LICENSE IN LICENSE.md", false],
    ["UNLICENSED", false],
    ["", false],
    ["(MIT", false],
    ["MIT)", false],
    ["MIT OR", false],
    ["OR MIT", false],
    ["MIT WITH", false],
    ["MIT Apache-2.0", false],
  ];
  for (const [expression, verdict] of cases) {
    test(`${JSON.stringify(expression)} → ${verdict ? "allowed" : "refused"}`, () => {
      expect(isLicenceExpressionAllowed(expression, ALLOWED)).toBe(verdict);
    });
  }
});

describe("readLicenceExpression", () => {
  test("a string is the expression; blank is none", () => {
    expect(readLicenceExpression(" MIT ")).toBe("MIT");
    expect(readLicenceExpression("")).toBeUndefined();
    expect(readLicenceExpression(undefined)).toBeUndefined();
  });

  test("an old `license` object gives its type", () => {
    expect(readLicenceExpression({ type: "BSD-3-Clause" })).toBe("BSD-3-Clause");
    expect(readLicenceExpression({})).toBeUndefined();
  });

  test("an old `licenses` array reads as the OR of its entries", () => {
    const expression = readLicenceExpression([{ type: "MIT" }, { type: "GPL-2.0" }]);
    expect(expression).toBe("(MIT) OR (GPL-2.0)");
    expect(isLicenceExpressionAllowed(expression!, ALLOWED)).toBe(true);
    expect(readLicenceExpression([{ type: "GPL-2.0" }, "AGPL-3.0"])).toBe("(GPL-2.0) OR (AGPL-3.0)");
    expect(readLicenceExpression([])).toBeUndefined();
  });
});
