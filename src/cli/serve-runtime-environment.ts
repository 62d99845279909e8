/**
 * The runtime settings `anyclaude serve` is meant to run with: JavaScriptCore and mimalloc tuned
 * for a proxy rather than a browser tab. Both read them from the environment once, as the process
 * starts, so whatever starts `serve` sets them: the systemd unit of `anyclaude service install`
 * and `npm start` (docs/decisions/0017-runtime-settings-from-the-environment.md). Every other
 * command runs with Bun's defaults.
 */
export const SERVE_RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = {
  // Decision 0012: FTL's compilations cost a proxy's short request path more than they return.
  BUN_JSC_useFTLJIT: "0",
  // Decision 0013: a full collection once young collections would get less than 60% of the heap's
  // budget (JavaScriptCore: a third), so what requests in flight left in the old generation goes sooner.
  BUN_JSC_minEdenToOldGenerationRatio: "0.6",
  // Decision 0013: freed pages go back to the system at once, not after 100 ms.
  MIMALLOC_PURGE_DELAY: "0",
};
