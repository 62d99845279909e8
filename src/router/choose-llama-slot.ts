/**
 * Which of llama-server's slots (`id_slot`) a request should use. Each slot keeps its own KV
 * cache, so sending a conversation back to the slot that served its previous turn lets the
 * engine reuse the prompt prefix (`cache_prompt`) instead of evaluating it again.
 */
import { hashAffinityKey, scoreRendezvous } from "./rendezvous-hash";

/**
 * Rendezvous hashing over the slot numbers: the same key always gets the same slot, and if
 * the engine restarts with more or fewer slots, only the keys of the slots that changed move.
 * The slot ids are hashed under a prefix of their own so that the slot choice does not
 * correlate with the backend choice made from the same key.
 *
 * @example
 * chooseLlamaSlot(computeAffinityKey(request), 4); // => 0, 1, 2 or 3, the same every time for this key
 */
export function chooseLlamaSlot(affinityKey: string, totalSlots: number): number {
  if (!Number.isInteger(totalSlots) || totalSlots < 1) throw new RangeError(`totalSlots must be a positive integer, not ${totalSlots}`);
  const keyHash = hashAffinityKey(affinityKey);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let slot = 0; slot < totalSlots; slot++) {
    const score = scoreRendezvous(keyHash, `llama-slot:${slot}`, 1);
    if (score > bestScore) {
      best = slot;
      bestScore = score;
    }
  }
  return best;
}
