/**
 * The Lua scripts behind RedisCacheStore. Each runs atomically on the server, so instances
 * sharing one Redis never see an entry without its bookkeeping or a byte total that is off.
 *
 * Layout under the key prefix P (KEYS[1..4], in this order; ARGV[1] is `P entry:`):
 * - `P entry:<key>`: hash {message (JSON), bytes, createdAt, expiresAt}, with a Redis expiry;
 * - `P lru`: sorted set of keys scored by last use (the caller's ms clock: createdAt for a
 *   put, `now` for a hit, never moved back, like the SQLite store's lastUsedAt);
 * - `P expiry`: sorted set of keys scored by expiresAt, to drop expired entries first;
 * - `P sizes`: hash key → bytes, so an entry Redis already expired can still be subtracted;
 * - `P bytes`: the byte total of the indexed entries.
 * An entry hash that is not in `P lru` (its index was deleted, or evicted by a server under
 * memory pressure) is never served: it is deleted when met and otherwise left to its expiry.
 */
import { defineRedisScript } from "./redis-connection";

const PRELUDE = `
local lru, expiry, sizes, total = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local entryPrefix = ARGV[1]
local function drop(key)
  redis.call('DEL', entryPrefix .. key)
  local size = redis.call('HGET', sizes, key)
  if size then
    redis.call('HDEL', sizes, key)
    redis.call('DECRBY', total, size)
  end
  redis.call('ZREM', lru, key)
  redis.call('ZREM', expiry, key)
end
`;

/** ARGV: entryPrefix, key, now. Returns [message, bytes, createdAt, expiresAt] or nil; a hit moves its last use up to `now`. */
export const GET_ENTRY = defineRedisScript(`${PRELUDE}
local key, now = ARGV[2], tonumber(ARGV[3])
local fields = redis.call('HMGET', entryPrefix .. key, 'message', 'bytes', 'createdAt', 'expiresAt')
if not fields[1] or not redis.call('ZSCORE', lru, key) or tonumber(fields[4]) <= now then
  drop(key)
  return nil
end
redis.call('ZADD', lru, 'GT', now, key)
return fields
`);

/**
 * ARGV: entryPrefix, key, message, bytes, createdAt, expiresAt, redisTtlMs, maxEntries, maxBytes.
 * Drops the old entry and every entry expired at createdAt, stores the new one unless it alone
 * exceeds the byte budget (evicting everything else for it would still not keep it), then
 * evicts least-recently-used entries until both budgets hold. Returns 1 when stored, 0 when not.
 */
export const PUT_ENTRY = defineRedisScript(`${PRELUDE}
local key, bytes, createdAt, expiresAt = ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxEntries, maxBytes = tonumber(ARGV[8]), tonumber(ARGV[9])
drop(key)
for _, stale in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', createdAt)) do
  drop(stale)
end
if bytes > maxBytes or maxEntries < 1 or expiresAt <= createdAt then
  return 0
end
local entry = entryPrefix .. key
redis.call('HSET', entry, 'message', ARGV[3], 'bytes', ARGV[4], 'createdAt', ARGV[5], 'expiresAt', ARGV[6])
redis.call('PEXPIRE', entry, ARGV[7])
redis.call('ZADD', lru, createdAt, key)
redis.call('ZADD', expiry, expiresAt, key)
redis.call('HSET', sizes, key, bytes)
redis.call('INCRBY', total, bytes)
while redis.call('ZCARD', lru) > maxEntries or tonumber(redis.call('GET', total)) > maxBytes do
  drop(redis.call('ZRANGE', lru, 0, 0)[1])
end
return 1
`);

/** ARGV: entryPrefix, key. */
export const DELETE_ENTRY = defineRedisScript(`${PRELUDE}
drop(ARGV[2])
return 1
`);

/** ARGV: entryPrefix. Deletes every indexed entry and the bookkeeping; other data under other prefixes is untouched. */
export const CLEAR_ENTRIES = defineRedisScript(`${PRELUDE}
for _, key in ipairs(redis.call('ZRANGE', lru, 0, -1)) do
  redis.call('DEL', entryPrefix .. key)
end
redis.call('DEL', lru, expiry, sizes, total)
return 1
`);

/** Returns [entries, bytes] as one consistent reading. */
export const READ_STATS = defineRedisScript(`${PRELUDE}
return { redis.call('ZCARD', lru), tonumber(redis.call('GET', total) or '0') }
`);
