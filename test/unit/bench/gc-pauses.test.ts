import { describe, expect, test } from "bun:test";
import { GcLogReader, summarizeGcPauses } from "../../../bench/gc-pauses";

// Lines JavaScriptCore wrote with BUN_JSC_logGC=1 in an overhead run of anyclaude (Bun 1.4.5).
const YOUNG_IN_ONE_PAUSE = `[GC<0x54b78c28118>: START M 29943kb => EdenCollection, a=0kb hf=0.000 mu=0.600 v=0kb (C:0 M:0 P1:0) o=427 b=108 i#1:N<CsMsrShDMsm(108)SrbBcs> 0+0 v=117kb (C:0 M:0 P1:117) o=428 b=108 i#2:N<WsOJw>Pbc 0+0 v=117kb (C:0 M:0 P1:117) o=428 b=108 i#3:P<Msm(0)CsShMsrBcsSrbDCbDomoWsOJw>Pbc => 16675kb, p=2.854115ms (max 2.854115), cycle 2.840545ms END]`;
const YOUNG_IN_THREE_PAUSES = [
  `[GC<0x54b78c28118>: START M 7400kb => EdenCollection, a=0kb hf=0.000 mu=0.600 v=0kb (C:0 M:0 P1:0) o=0 b=0 i#1:N<CsMsrShDMsm(0)SrbBcs> 72+0 p=1.213140ms (max 1.213140)...]`,
  `[GC<0x54b78c28118>: M a=19kb hf=0.006 mu=0.597 v=2123kb (C:555 M:0 P1:1568) o=3 b=64 0+64 p=0.633941ms (max 1.213140)...]`,
  "GC END!",
  `[GC<0x54b78c28118>: M a=19kb hf=0.006 mu=0.596 v=3794kb (C:1453 M:0 P1:2340) o=7 b=0 i#2:N<WsOJw>Pbc 31+68 v=3805kb (C:1460 M:0 P1:2345) o=7 b=0 i#3:P<OWsJwShMsr>Pbc 1+68 v=3805kb (C:1460 M:0 P1:2345) o=7 b=0 i#4:Msm(68) 0+68 v=3809kb (C:1464 M:0 P1:2345) o=8 b=0 i#5:P<Msm(0)CsBcsSrbShMsrDCbDomoOWsJw>Pbc => 6651kb, p=1.446667ms (max 1.446667), cycle 6.856314ms END]`,
  "[GC<0x54b78c28118>: epilogue 0.062532ms]",
];
const FULL = `[GC<0x54b78c28118>: START M 10250kb => FullCollection, a=0kb hf=0.000 mu=0.600 v=0kb (C:0 M:0 P1:0) o=0 b=0 i#1:N<CsMsrShDMsm(0)SrbBcs> 1108+0 p=0.961927ms (max 1.446667)...]`;

describe("summarizeGcPauses", () => {
  test("a collection logged in one line is one pause of its scope", () => {
    expect(summarizeGcPauses(YOUNG_IN_ONE_PAUSE)).toEqual({
      eden: { count: 1, p50: 2.854115, p90: 2.854115, max: 2.854115 },
      full: { count: 0 },
    });
  });

  test("each further pause of a collection counts under the scope it started with", () => {
    const pauses = summarizeGcPauses([...YOUNG_IN_THREE_PAUSES, FULL].join("\n"));
    expect(pauses.eden).toEqual({ count: 3, p50: 1.21314, p90: 1.446667, max: 1.446667 });
    expect(pauses.full).toEqual({ count: 1, p50: 0.961927, p90: 0.961927, max: 0.961927 });
  });

  test("heaps are told apart, and a continuation whose start is not in the log is left out", () => {
    const otherHeap = YOUNG_IN_THREE_PAUSES[1]!.replace("0x54b78c28118", "0x4acfee28118");
    expect(summarizeGcPauses([otherHeap, FULL, YOUNG_IN_THREE_PAUSES[1]!].join("\n"))).toEqual({
      eden: { count: 0 },
      full: { count: 2, p50: 0.633941, p90: 0.961927, max: 0.961927 },
    });
  });

  test("lines of the program's own are ignored", () => {
    expect(summarizeGcPauses("listening on http://127.0.0.1:1234\nmeasuring 49KB json seq\n")).toEqual({
      eden: { count: 0 },
      full: { count: 0 },
    });
  });
});

describe("GcLogReader", () => {
  test("a line cut across chunks is read once it is whole, and the end reads the last line", () => {
    const log = [...YOUNG_IN_THREE_PAUSES, FULL].join("\n");
    const reader = new GcLogReader();
    const seen = [];
    for (let at = 0; at < log.length; at += 37) seen.push(...reader.push(log.slice(at, at + 37)));
    expect(seen).toEqual([
      { scope: "Eden", ms: 1.21314 },
      { scope: "Eden", ms: 0.633941 },
      { scope: "Eden", ms: 1.446667 },
    ]);
    expect(reader.end()).toEqual([{ scope: "Full", ms: 0.961927 }]);
    expect(reader.end()).toEqual([]);
  });
});
