import { expect, test } from "bun:test";
import { readCacheDirective } from "../../../src/cache/read-cache-directive";

const route = { route: "opus", group: "coder" };
const read = (headers: Record<string, string>, bypassRoutes: string[] = []) =>
  readCacheDirective(new Headers(headers), route, bypassRoutes);

test("by default a request reads and stores", () => {
  expect(read({})).toEqual({ lookup: true, store: true });
  expect(read({ "cache-control": "max-age=60" })).toEqual({ lookup: true, store: true });
  expect(read({ "x-anyclaude-cache": "use" })).toEqual({ lookup: true, store: true });
});

test("x-anyclaude-cache: bypass and cache-control: no-store neither read nor store; no-cache refreshes", () => {
  expect(read({ "x-anyclaude-cache": " Bypass " })).toEqual({ lookup: false, store: false, reason: "header" });
  expect(read({ "cache-control": "max-age=0, No-Store" })).toEqual({ lookup: false, store: false, reason: "no-store" });
  expect(read({ "cache-control": "no-cache" })).toEqual({ lookup: false, store: true, reason: "no-cache" });
  expect(read({ "cache-control": "no-cache, no-store" })).toEqual({ lookup: false, store: false, reason: "no-store" });
});

test("a route or model group listed in bypassRoutes is never cached, whatever the headers", () => {
  expect(read({}, ["opus"])).toEqual({ lookup: false, store: false, reason: "route opus" });
  expect(read({ "cache-control": "no-cache" }, ["background", "coder"])).toEqual({ lookup: false, store: false, reason: "route coder" });
  expect(read({}, ["sonnet", "background"])).toEqual({ lookup: true, store: true });
});
