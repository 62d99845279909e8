/**
 * Which Host and Origin pairs anyclaude answers, for the two ways it listens: on loopback (the
 * default) and beyond it, each with one configured name and origin.
 */
import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../../src/config/config-error";
import { createBrowserAccessPolicy } from "../../../src/server/browser-access-policy";
import { decideBrowserAccess } from "../../../src/server/decide-browser-access";

const CONFIGURED = { allowedHosts: ["Gpu-Box.lan:9999", "fd00::7"], allowedOrigins: ["HTTPS://App.Example:443/"] };
const onLoopback = createBrowserAccessPolicy({ host: "127.0.0.1", ...CONFIGURED }, ["127.0.0.1", "::1", "192.168.1.20"]);
const beyondLoopback = createBrowserAccessPolicy({ host: "0.0.0.0", ...CONFIGURED }, ["127.0.0.1", "::1", "192.168.1.20", "fe80::1"]);

type Expected = "allowed" | "cors" | "host" | "origin";
const decide = (policy: typeof onLoopback, host: string, origin: string | null): Expected => {
  const access = decideBrowserAccess({ host, origin }, policy);
  if (!access.allowed) return access.refused;
  return access.corsOrigin === undefined ? "allowed" : "cors";
};

// [case, Host, Origin, on loopback, beyond loopback]
const CASES: Array<[string, string, string | null, Expected, Expected]> = [
  ["127.0.0.1 with a port", "127.0.0.1:8082", null, "allowed", "allowed"],
  ["localhost, any case, no port", "LocalHost", null, "allowed", "allowed"],
  ["IPv6 loopback", "[::1]:8082", null, "allowed", "allowed"],
  ["a configured name on another port", "gpu-box.lan:8082", null, "allowed", "allowed"],
  ["a configured IPv6 address", "[fd00::7]:8082", null, "allowed", "allowed"],
  ["a rebinding attacker's name", "attacker.example:8082", null, "host", "host"],
  ["a name that ends in localhost", "localhost.attacker.example", null, "host", "host"],
  ["the machine's LAN address", "192.168.1.20:8082", null, "host", "allowed"],
  ["the machine's link-local IPv6 address", "[fe80::1]:8082", null, "host", "allowed"],
  ["the wildcard address listened on", "0.0.0.0:8082", null, "host", "host"],
  ["no Host at all", "", null, "host", "host"],
  ["anyclaude's own page (/docs)", "127.0.0.1:8082", "http://127.0.0.1:8082", "allowed", "allowed"],
  ["its own page under a configured name", "gpu-box.lan:8082", "http://gpu-box.lan:8082", "allowed", "allowed"],
  ["its own page behind a TLS proxy", "gpu-box.lan", "https://gpu-box.lan", "allowed", "allowed"],
  ["a page on another local port", "127.0.0.1:8082", "http://127.0.0.1:3000", "origin", "origin"],
  ["localhost's page calling 127.0.0.1", "127.0.0.1:8082", "http://localhost:8082", "origin", "origin"],
  ["a page anywhere on the web", "127.0.0.1:8082", "https://evil.example", "origin", "origin"],
  ["a sandboxed frame or file://", "127.0.0.1:8082", "null", "origin", "origin"],
  ["an extension with a look-alike id", "127.0.0.1:8082", "chrome-extension://127.0.0.1:8082", "origin", "origin"],
  ["a configured origin", "127.0.0.1:8082", "https://app.example", "cors", "cors"],
  ["a configured origin, but a foreign Host", "attacker.example", "https://app.example", "host", "host"],
];

describe.each([
  ["listening on loopback", onLoopback, 3],
  ["listening beyond loopback", beyondLoopback, 4],
] as const)("%s", (_name, policy, column) => {
  test.each(CASES)("%s", (...row) => {
    const [, host, origin] = row;
    expect(decide(policy, host, origin)).toBe(row[column]);
  });
});

test("a configured entry that names no host or origin stops start-up, naming each", () => {
  const failure = (() => {
    try {
      createBrowserAccessPolicy({ host: "127.0.0.1", allowedHosts: ["ok", "a:b:c"], allowedOrigins: ["http://x/path"] }, []);
    } catch (error) {
      return error;
    }
  })();
  expect(failure).toBeInstanceOf(ConfigError);
  expect((failure as ConfigError).issues.map(({ path }) => path)).toEqual(["server.allowedHosts[1]", "server.allowedOrigins[0]"]);
});
