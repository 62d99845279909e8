import { describe, expect, test } from "bun:test";
import { attributeTail, type LoggedPause, meets, type TimedRequest } from "../../../bench/attribute-tail";

const young = (loggedAt: number, ms = 1): LoggedPause => ({ scope: "Eden", ms, loggedAt });

describe("meets", () => {
  test("a pause that ended within the request, or straddles its start or end, meets it", () => {
    const request = { startedAt: 10, ms: 2 };
    expect(meets(request, young(11.5), 0)).toBe(true);
    expect(meets(request, young(10.5), 0)).toBe(true);
    expect(meets(request, young(12.5), 0)).toBe(true);
  });

  test("a pause over before the request started, or logged before it, does not", () => {
    expect(meets({ startedAt: 10, ms: 2 }, young(9), 0)).toBe(false);
    expect(meets({ startedAt: 10, ms: 2 }, young(10), 0)).toBe(false);
  });

  test("a line that arrives late still meets the request within the slack", () => {
    // The pause ran 11.0-12.0 but its line arrived at 13.4: 0.4 ms too late without slack.
    expect(meets({ startedAt: 10, ms: 2 }, young(13.4), 0)).toBe(false);
    expect(meets({ startedAt: 10, ms: 2 }, young(13.4), 0.5)).toBe(true);
  });
});

describe("attributeTail", () => {
  // 100 requests one after another, 1 ms apart; three are slow: one met a young pause, one a
  // full pause, one nothing.
  const requests: TimedRequest[] = Array.from({ length: 100 }, (_, index) => ({ startedAt: index, ms: 0.5 }));
  requests[20]!.ms = 3;
  requests[50]!.ms = 3.2;
  requests[80]!.ms = 2.8;
  const pauses: LoggedPause[] = [young(22.5, 1.2), { scope: "Full", ms: 2, loggedAt: 53 }, young(95.4, 0.2)];

  test("the slowest 1% are split by what met them, and the tail is recomputed without paused requests", () => {
    expect(attributeTail(requests, pauses, 0)).toEqual({
      p99: 3,
      slowest: 2,
      metYoung: 1,
      metFull: 1,
      metNone: 0,
      pausesMeetingRequests: 3,
      p99WithoutPaused: 2.8,
    });
  });

  test("a slow request no pause met is counted as such", () => {
    const tail = attributeTail(requests, [pauses[2]!], 0);
    expect(tail).toMatchObject({ p99: 3, slowest: 2, metYoung: 0, metFull: 0, metNone: 2, pausesMeetingRequests: 1 });
  });

  test("no requests is an error, not a made-up figure", () => {
    expect(() => attributeTail([], pauses, 0)).toThrow("no requests");
  });
});
