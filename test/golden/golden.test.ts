/**
 * Golden tests for translate mode, one folder per case (see README.md). Each case pins both
 * directions: the backend request built from the Anthropic request, and the Anthropic answer
 * built from the backend's recorded answer. `UPDATE_GOLDEN=1 bun test test/golden` rewrites
 * the expected files on purpose; review the diff before committing it.
 */
import { describe, expect, test } from "bun:test";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import {
  convertBackendCompletion,
  convertBackendError,
  convertBackendStream,
  convertGoldenRequest,
  expectedText,
  expectedWarnings,
  formatSse,
  hasCaseFile,
  listGoldenCases,
  readCaseJson,
  summarizeWarnings,
  toJsonText,
} from "./golden-cases";

const cases = listGoldenCases();

test("there are golden cases to run", () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases)("%s", (name) => {
  const request = readCaseJson<MessageCreateParams>(name, "anthropic-request.json");
  const isStream = hasCaseFile(name, "backend-response.txt");
  const isError = hasCaseFile(name, "backend-error.json");

  test("Anthropic request -> backend request", () => {
    const { value, warnings: requestWarnings } = convertGoldenRequest(name, request);
    const actual = toJsonText(value);
    expect(JSON.parse(actual)).toEqual(JSON.parse(expectedText(name, "backend-request.json", actual)));
    const summary = summarizeWarnings(requestWarnings);
    expect(summary).toEqual(expectedWarnings(name, "request", summary));
  });

  if (isError) {
    test("backend error -> Anthropic error", async () => {
      const actual = toJsonText(await convertBackendError(name));
      expect(JSON.parse(actual)).toEqual(JSON.parse(expectedText(name, "expected-anthropic-error.json", actual)));
    });
  } else if (isStream) {
    test("backend stream -> Anthropic SSE", async () => {
      const { value: events, warnings: responseWarnings } = await convertBackendStream(name, request);
      const actual = formatSse(events);
      expect(actual).toBe(expectedText(name, "expected-anthropic.sse", actual));
      const summary = summarizeWarnings(responseWarnings);
      expect(summary).toEqual(expectedWarnings(name, "response", summary));
    });
  } else {
    test("backend completion -> Anthropic message", () => {
      const { value, warnings: responseWarnings } = convertBackendCompletion(name, request);
      const actual = toJsonText(value);
      expect(JSON.parse(actual)).toEqual(JSON.parse(expectedText(name, "expected-anthropic.json", actual)));
      const summary = summarizeWarnings(responseWarnings);
      expect(summary).toEqual(expectedWarnings(name, "response", summary));
    });
  }
});
