/**
 * The connector connects from anyclaude's place in the network: which URLs a request may name,
 * by where anyclaude listens and `mcp.connector.allowedUrls`.
 */
import { describe, expect, test } from "bun:test";
import { refuseConnectorUrl } from "../../../src/mcp/refuse-connector-url";

const local = { allowedUrls: [], listensBeyondLoopback: false };
const exposed = { allowedUrls: [], listensBeyondLoopback: true };

describe("refuseConnectorUrl", () => {
  test("on loopback with no list: any http(s) URL, this machine's included", () => {
    for (const url of ["https://mcp.example.com/mcp", "http://127.0.0.1:8931/mcp", "http://10.0.0.5/"]) {
      expect(refuseConnectorUrl(url, local)).toBeUndefined();
    }
  });

  test("beyond loopback with no list: none, and the answer says which setting opens it", () => {
    for (const url of ["https://mcp.example.com/mcp", "http://127.0.0.1:6379/", "http://169.254.169.254/latest/meta-data/"]) {
      expect(refuseConnectorUrl(url, exposed)).toContain("mcp.connector.allowedUrls");
    }
  });

  test("with a list: only URLs under one of its prefixes, wherever anyclaude listens", () => {
    for (const listensBeyondLoopback of [false, true]) {
      const policy = { allowedUrls: ["https://mcp.example.com/tools", "http://127.0.0.1:8931/"], listensBeyondLoopback };
      expect(refuseConnectorUrl("https://mcp.example.com/tools", policy)).toBeUndefined();
      expect(refuseConnectorUrl("https://mcp.example.com/tools/search", policy)).toBeUndefined();
      expect(refuseConnectorUrl("http://127.0.0.1:8931/mcp", policy)).toBeUndefined();
      // Another path that merely starts with the same letters, another port, another scheme, another host.
      expect(refuseConnectorUrl("https://mcp.example.com/toolsx", policy)).toBeDefined();
      expect(refuseConnectorUrl("http://127.0.0.1:8932/mcp", policy)).toBeDefined();
      expect(refuseConnectorUrl("http://mcp.example.com/tools", policy)).toBeDefined();
      expect(refuseConnectorUrl("https://mcp.example.com.evil.test/tools", policy)).toBeDefined();
      expect(refuseConnectorUrl("https://user@mcp.example.com.evil.test/tools", policy)).toBeDefined();
    }
  });

  test("what is no http(s) URL is refused everywhere", () => {
    for (const url of ["not a url", "file:///etc/passwd", "ftp://mcp.example.com/"]) {
      expect(refuseConnectorUrl(url, local)).toBeDefined();
    }
  });
});
