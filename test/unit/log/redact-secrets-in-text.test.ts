import { describe, expect, test } from "bun:test";
import { redactSecretsInText } from "../../../src/log/redact-log-value";

describe("redactSecretsInText", () => {
  test.each([
    ["key sk-ant-api03-abcdef123456 used", "key [redacted] used"],
    ["authorization: Bearer abc.def", "authorization: Bearer [redacted]"],
    ["no engine answered at http://me:hunter2@gpu-box:8000/v1", "no engine answered at http://me:[redacted]@gpu-box:8000/v1"],
    ["cannot reach https://svc:p%40ss@host/ (ECONNREFUSED)", "cannot reach https://svc:[redacted]@host/ (ECONNREFUSED)"],
  ])("%p", (text, expected) => {
    expect(redactSecretsInText(text)).toBe(expected);
  });

  test.each([["http://127.0.0.1:8080/v1"], ["http://user@host:8080"], ["at 12:30 someone@example.test wrote"], ["ratio 3:4"]])(
    "leaves %p alone",
    (text) => {
      expect(redactSecretsInText(text)).toBe(text);
    },
  );
});
