/** Where anyclaude may listen without a key: loopback always, beyond it only when asked, with a warning. */
import { expect, test } from "bun:test";
import { decideListenExposure } from "../../../src/access/decide-listen-exposure";

test.each([
  ["127.0.0.1", false, false, true],
  ["127.0.0.2", false, false, true],
  ["::1", false, false, true],
  ["localhost", false, false, true],
  ["0.0.0.0", true, false, true],
  ["0.0.0.0", false, false, false],
  ["::", false, false, false],
  ["192.168.1.20", false, false, false],
  ["0.0.0.0", false, true, true],
])("host %s, keys %p, allowUnauthenticated %p: allowed %p", (host, hasKeys, allowUnauthenticated, allowed) => {
  expect(decideListenExposure({ host, hasKeys, allowUnauthenticated }).allowed).toBe(allowed);
});

test("the refusal says what to do; allowing it anyway leaves a warning to log", () => {
  const refused = decideListenExposure({ host: "0.0.0.0", hasKeys: false, allowUnauthenticated: false });
  expect(refused.allowed).toBe(false);
  const { message } = refused as { message: string };
  expect(message).toContain("anyclaude keys add NAME");
  expect(message).toContain("--allow-unauthenticated");
  const allowed = decideListenExposure({ host: "0.0.0.0", hasKeys: false, allowUnauthenticated: true });
  expect(allowed).toMatchObject({ allowed: true, warning: expect.stringContaining("anyone who can reach this port") });
});
