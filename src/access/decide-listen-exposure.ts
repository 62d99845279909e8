/**
 * Whether anyclaude may listen where it was told to: beyond loopback with no client key, anyone
 * who reaches the port could use the engines, so that start is refused unless asked for.
 */
import { isLoopbackHost } from "./is-loopback-host";

export type ListenExposure = { allowed: true; warning?: string } | { allowed: false; message: string };

/**
 * @example
 * decideListenExposure({ host: "0.0.0.0", hasKeys: false, allowUnauthenticated: false }); // { allowed: false, message: "..." }
 * decideListenExposure({ host: "127.0.0.1", hasKeys: false, allowUnauthenticated: false }); // { allowed: true }
 */
export function decideListenExposure(settings: { host: string; hasKeys: boolean; allowUnauthenticated: boolean }): ListenExposure {
  if (settings.hasKeys || isLoopbackHost(settings.host)) return { allowed: true };
  if (settings.allowUnauthenticated) {
    return {
      allowed: true,
      warning: `listening on ${settings.host} with no client key (--allow-unauthenticated): anyone who can reach this port can use your models`,
    };
  }
  return {
    allowed: false,
    message: `refusing to listen on ${settings.host} with no client key: anyone who could reach the port could use your models. Add a key (\`anyclaude keys add NAME\`, server.keys or server.apiKey), listen on 127.0.0.1, or pass --allow-unauthenticated (server.allowUnauthenticated) if the network is yours alone`,
  };
}
