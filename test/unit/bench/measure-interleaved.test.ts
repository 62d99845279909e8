import { afterAll, describe, expect, test } from "bun:test";
import { measureSidesInTurn } from "../../../bench/measure-interleaved";

/** Which side each request came from, in the order they arrived. */
const arrivals: string[] = [];
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    arrivals.push(await request.text());
    return new Response("ok");
  },
});
afterAll(() => server.stop(true));

const side = (name: string) => ({ url: `http://127.0.0.1:${server.port}/`, headers: {}, body: name });

describe("measureSidesInTurn", () => {
  test("sends one request per side in turn, reversing the order every other round", async () => {
    arrivals.length = 0;
    const samples = await measureSidesInTurn({ a: side("a"), b: side("b"), c: side("c") }, 3);
    expect(arrivals).toEqual(["a", "b", "c", "c", "b", "a", "a", "b", "c"]);
    for (const name of ["a", "b", "c"] as const) {
      expect(samples[name].totalMs).toHaveLength(3);
      expect(samples[name].firstByteMs.every((ms, index) => ms <= samples[name].totalMs[index]!)).toBe(true);
    }
  });
});
