/**
 * Rendezvous (highest-random-weight) hashing: every member scores each key, the highest score
 * wins. A key stays on its member as long as that member is in the set, and removing a member
 * moves only the keys it held, without a ring or any state to keep in sync.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 4_294_967_296;

/**
 * The key's FNV-1a state, computed once per decision and then extended by each member's id in
 * scoreRendezvous, which is the same as hashing `key + "\0" + member` for every member.
 *
 * @example
 * scoreRendezvous(hashAffinityKey("9f2c…"), "llamacpp-8080/qwen3", 1);
 */
export function hashAffinityKey(key: string): number {
  return extendFnv(FNV_OFFSET, key);
}

/**
 * The member's score for the key; higher wins. Weighted by the logarithmic method
 * (Schindelhauer and Schomaker): `weight / -ln(u)` with u uniform in (0, 1) wins with
 * probability weight / Σ weights, and keeps the "only the removed member's keys move" property.
 *
 * @example
 * const keyHash = hashAffinityKey(key);
 * const home = members.reduce((best, m) => (scoreRendezvous(keyHash, m.id, m.weight) > scoreRendezvous(keyHash, best.id, best.weight) ? m : best));
 */
export function scoreRendezvous(keyHash: number, memberId: string, weight: number): number {
  if (!(weight > 0)) return Number.NEGATIVE_INFINITY;
  // One FNV step for a "\0" separator (x ^ 0 is x), so that "ab" + "c" and "a" + "bc" differ.
  const hash = mixBits(extendFnv(Math.imul(keyHash, FNV_PRIME), memberId));
  const uniform = (hash + 0.5) / TWO_POW_32;
  return weight / -Math.log(uniform);
}

function extendFnv(state: number, text: string): number {
  let hash = state;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash;
}

/**
 * MurmurHash3's finalizer: FNV alone leaves the low bits of similar ids ("a/m1", "a/m2")
 * correlated, which would skew who wins; this spreads every input bit over every output bit.
 */
function mixBits(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
