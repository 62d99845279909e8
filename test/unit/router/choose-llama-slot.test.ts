import { describe, expect, test } from "bun:test";
import { chooseLlamaSlot } from "../../../src/router/choose-llama-slot";
import { binomialTolerance } from "./strategy-test-support";

const KEYS = Array.from({ length: 4_000 }, (_, index) => new Bun.CryptoHasher("sha256").update(`conversation-${index}`).digest("hex"));

describe("chooseLlamaSlot", () => {
  test("one slot: always slot 0", () => {
    for (const key of KEYS.slice(0, 50)) expect(chooseLlamaSlot(key, 1)).toBe(0);
  });

  test("a slot in range, the same for the same key every time", () => {
    for (const key of KEYS.slice(0, 500)) {
      const slot = chooseLlamaSlot(key, 4);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(4);
      expect(chooseLlamaSlot(key, 4)).toBe(slot);
    }
  });

  test("keys spread evenly over the slots (binomial tolerance)", () => {
    const counts = [0, 0, 0, 0];
    for (const key of KEYS) counts[chooseLlamaSlot(key, 4)]!++;
    for (const count of counts) expect(Math.abs(count - KEYS.length / 4)).toBeLessThanOrEqual(binomialTolerance(KEYS.length, 1 / 4));
  });

  test("an engine restarted with one more slot moves keys only onto the new slot", () => {
    let moved = 0;
    for (const key of KEYS) {
      const now = chooseLlamaSlot(key, 5);
      if (now === 4) moved++;
      else expect(now).toBe(chooseLlamaSlot(key, 4));
    }
    expect(Math.abs(moved - KEYS.length / 5)).toBeLessThanOrEqual(binomialTolerance(KEYS.length, 1 / 5));
  });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses %p slots", (slots) => {
    expect(() => chooseLlamaSlot(KEYS[0]!, slots)).toThrow(RangeError);
  });
});
