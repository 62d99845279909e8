/** A loopback port with nothing listening on it, for a backend that is down (or not up yet). */

/**
 * Binds port 0 to let the system pick a free port, then releases it. Another process could
 * take it in between; on a test machine that is rare enough not to matter.
 *
 * @example
 * const port = await findClosedPort();
 * const proxy = await startProxy({}, [{ url: `http://127.0.0.1:${port}` }]);
 */
export async function findClosedPort(): Promise<number> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(null, { status: 204 }) });
  const port = server.port!;
  await server.stop(true);
  return port;
}
