import { expect, test } from "bun:test";
import { FullGcSchedule } from "../../../src/server/full-gc-schedule";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test("collects once every N requests, after the request that crossed the mark, never twice at once", async () => {
  let collections = 0;
  const schedule = new FullGcSchedule(3, () => collections++);
  schedule.noteRequest();
  schedule.noteRequest();
  await nextTurn();
  expect(collections).toBe(0);
  schedule.noteRequest();
  // Not within the request's own turn: the answer is written first.
  expect(collections).toBe(0);
  await nextTurn();
  expect(collections).toBe(1);
  for (let i = 0; i < 6; i++) schedule.noteRequest();
  await nextTurn();
  expect(collections).toBe(2);
});

test("0 turns it off", async () => {
  let collections = 0;
  const schedule = new FullGcSchedule(0, () => collections++);
  for (let i = 0; i < 10; i++) schedule.noteRequest();
  await nextTurn();
  expect(collections).toBe(0);
});
