/**
 * The llama-server slot (`id_slot`) an attempt is pinned to, and its release. Each slot keeps
 * its own KV cache: a conversation sent back to its slot re-evaluates only its new turn, and
 * Claude Code's side calls, kept to a slot of their own, never evict the main conversation's.
 */
import type { BackendEntry } from "./backend-entry";
import { chooseLlamaSlot } from "./choose-llama-slot";

export interface SlotRequest {
  /** Hashed only when a slot is chosen by it. */
  affinityKey: () => string;
  /** The group ranks by prefix affinity: its conversations are spread over the slots by key. */
  byAffinity: boolean;
  /** One of Claude Code's side calls (isSideCall). */
  sideCall: boolean;
  /** `claudeCode.sideCallSlot`: side calls get the last slot, the main conversations the others. */
  separateSideCalls: boolean;
}

export interface PinnedSlot {
  /** Undefined: the engine picks (by prompt similarity), e.g. because our request already runs in the slot. */
  slot: number | undefined;
  unpin: () => void;
}

/**
 * Undefined when the target is no llama-server, its slot count is unknown, or nothing asks for a
 * slot. A main conversation is not pinned behind one of our requests already running in its
 * slot (another slot may be free); a side call is, since any other slot may hold a conversation.
 *
 * @example
 * const pinned = pinLlamaSlot(entry, "qwen3", { affinityKey, byAffinity: false, sideCall: true, separateSideCalls: true });
 * pinned?.slot; // => the engine's last slot
 * pinned?.unpin(); // when the answer ends
 */
export function pinLlamaSlot(entry: BackendEntry, model: string, request: SlotRequest): PinnedSlot | undefined {
  const slots = entry.backend.kind === "llamacpp" ? entry.slotsOf(model) : undefined;
  if (slots === undefined) return undefined;
  const chosen = chooseSlot(slots, request);
  if (chosen === undefined) return undefined;
  const { slot, evenWhenBusy } = chosen;
  const busy = entry.slotsInFlight.get(slot) ?? 0;
  entry.slotsInFlight.set(slot, busy + 1);
  let pinned = true;
  const unpin = () => {
    if (!pinned) return;
    pinned = false;
    const left = (entry.slotsInFlight.get(slot) ?? 1) - 1;
    if (left > 0) entry.slotsInFlight.set(slot, left);
    else entry.slotsInFlight.delete(slot);
  };
  return { slot: busy === 0 || evenWhenBusy ? slot : undefined, unpin };
}

function chooseSlot(slots: number, request: SlotRequest): { slot: number; evenWhenBusy: boolean } | undefined {
  if (request.separateSideCalls && slots >= 2) {
    if (request.sideCall) return { slot: slots - 1, evenWhenBusy: true };
    return { slot: chooseLlamaSlot(request.affinityKey(), slots - 1), evenWhenBusy: false };
  }
  return request.byAffinity ? { slot: chooseLlamaSlot(request.affinityKey(), slots), evenWhenBusy: false } : undefined;
}
