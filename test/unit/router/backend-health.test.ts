import { describe, expect, test } from "bun:test";
import { BackendHealth } from "../../../src/router/backend-health";

describe("BackendHealth", () => {
  test("starts unknown and healthy (unchecked is not broken)", () => {
    const health = new BackendHealth(2);
    expect(health.state).toBe("unknown");
    expect(health.healthy).toBe(true);
    expect(health.checkedAt).toBeUndefined();
  });

  test("unhealthy only after `unhealthyAfter` failures in a row; one success resets the count", () => {
    const changes: boolean[] = [];
    const health = new BackendHealth(3, (healthy) => changes.push(healthy));
    health.recordFailure(new Error("refused"));
    health.recordFailure(new Error("refused"));
    expect(health.healthy).toBe(true);
    health.recordSuccess();
    health.recordFailure(new Error("refused"));
    health.recordFailure(new Error("refused"));
    expect(health.healthy).toBe(true);
    health.recordFailure(new Error("timed out"));
    expect(health.healthy).toBe(false);
    expect(health).toMatchObject({ state: "down", consecutiveFailures: 3, lastError: "timed out" });
    health.recordSuccess();
    expect(health).toMatchObject({ state: "up", healthy: true, consecutiveFailures: 0, lastError: undefined });
    expect(changes).toEqual([false, true]);
  });

  test("reports a change of rotation once, not on every further failure", () => {
    const changes: boolean[] = [];
    const health = new BackendHealth(1, (healthy) => changes.push(healthy));
    for (let i = 0; i < 4; i++) health.recordFailure("down");
    health.recordSuccess();
    health.recordSuccess();
    expect(changes).toEqual([false, true]);
    expect(health.checkedAt).toBeInstanceOf(Date);
  });
});
