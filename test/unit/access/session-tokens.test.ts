/** Login session tokens: the name they were issued for, until they expire; nothing for a forged or altered one. */
import { expect, test } from "bun:test";
import { SessionTokens } from "../../../src/access/session-tokens";

test("a token names its key until it expires; one altered, signed by another server, or malformed names nobody", () => {
  const clock = { now: 1_000 };
  const sessions = new SessionTokens({ ttlMs: 60_000, now: () => clock.now });
  const token = sessions.issue("alice");
  expect(token).not.toContain("alice");
  expect(sessions.verify(token)).toBe("alice");
  const [payload, signature] = token.split(".");
  const forged = Buffer.from(JSON.stringify({ key: "admin", expires: 9e15 })).toString("base64url");
  expect(sessions.verify(`${forged}.${signature}`)).toBeUndefined();
  expect(sessions.verify(`${payload}.${signature!.slice(1)}x`)).toBeUndefined();
  expect(new SessionTokens({ ttlMs: 60_000, now: () => clock.now }).verify(token)).toBeUndefined();
  for (const junk of ["", ".", "a.b.c", "%%%.%%%"]) expect(sessions.verify(junk)).toBeUndefined();
  clock.now += 60_000;
  expect(sessions.verify(token)).toBeUndefined();
});
