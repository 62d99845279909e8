/**
 * A separate Bun process that writes exact-cache entries through SqliteCacheStore and prints
 * each entry's key on its own line only after `put` has returned, i.e. after the commit. The
 * durability tests kill it with SIGKILL mid-run, or run two at once on one file.
 *
 *   bun test/support/cache-writer-process.ts <db path> <label> <count> [<start at, epoch ms>]
 *
 * With a start time, it waits until then before opening the file, so that several writers
 * started one after another open it at the same moment.
 */
import { openStore } from "../../src/store/open-store";
import { SqliteCacheStore } from "../../src/store/sqlite-cache-store";
import { makeCachedAnswer } from "./cache-store-conformance";

const [path, label, count, startAt] = process.argv.slice(2);
if (!path || !label || !count) {
  console.error("usage: bun test/support/cache-writer-process.ts <db path> <label> <count> [<start at, epoch ms>]");
  process.exit(2);
}

if (startAt !== undefined) await Bun.sleep(Math.max(0, Number(startAt) - Date.now()));
const store = openStore({ path });
for (const warning of store.warnings) console.error(warning.message);
const cache = new SqliteCacheStore(store.db, { maxEntries: 1_000_000, maxBytes: 10e9 });
const t0 = Date.now();
for (let index = 0; index < Number(count); index++) {
  // About 5 KB each, so a commit spans several pages and a kill can land inside one.
  const answer = makeCachedAnswer(`${label}-${index}`, t0 + index, { text: `${label} ${index} `.repeat(400) });
  await cache.put(answer);
  process.stdout.write(`${answer.key}\n`);
}
await cache.close();
store.close();
