/** Starts Debian's redis-server on a free loopback port with a throwaway directory for a test, and stops it again. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findClosedPort } from "./find-closed-port";

export interface StartRedisServerOptions {
  /** A fixed port, to restart a stopped server where its clients expect it; default a free one. */
  port?: number;
  /** Defaults to findRedisServer(). */
  binary?: string;
}

export interface RunningRedisServer {
  url: string;
  port: number;
  pid: number;
  /** Kills the server, waits for it to exit and removes its directory. */
  stop(): Promise<void>;
}

/** Printed by tests that skip because the server is missing; `.ci/run` installs the package. */
export const REDIS_SERVER_MISSING = "redis-server is not installed (Debian: apt-get install redis-server); skipping the Redis tests";

const running = new Set<Bun.Subprocess>();
// A test run that ends (or crashes) with servers still up must not leave them behind.
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * @example
 * const binary = findRedisServer();
 * if (!binary) console.log(REDIS_SERVER_MISSING);
 */
export function findRedisServer(): string | undefined {
  return Bun.which("redis-server") ?? Bun.which("redis-server", { PATH: "/usr/sbin:/usr/bin:/usr/local/bin" }) ?? undefined;
}

/** One PING over a raw socket, so the helper depends on neither redis-cli nor the client under test. */
async function answersPing(port: number): Promise<boolean> {
  const { promise, resolve } = Promise.withResolvers<boolean>();
  let reply = "";
  try {
    const socket = await Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open: (s) => void s.write("PING\r\n"),
        data: (s, chunk) => {
          reply += chunk.toString();
          if (reply.includes("\r\n")) {
            resolve(reply.startsWith("+PONG"));
            s.end();
          }
        },
        close: () => resolve(false),
        error: () => resolve(false),
      },
    });
    const answered = await promise;
    socket.end();
    return answered;
  } catch {
    return false; // nothing listening yet
  }
}

async function waitForPing(port: number, child: Bun.Subprocess): Promise<void> {
  while (child.exitCode === null) {
    if (await answersPing(port)) return;
    await Bun.sleep(20);
  }
  throw new Error(`redis-server exited with code ${child.exitCode} before answering PING`);
}

/**
 * Persistence is off (`--save "" --appendonly no`) so a stopped server comes back empty, like
 * a crashed cache would, and writes nothing outside its temp directory.
 *
 * @example
 * const redis = await startRedisServer();
 * const client = new RedisClient(redis.url);
 * await redis.stop();
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RunningRedisServer> {
  const binary = options.binary ?? findRedisServer();
  if (!binary) throw new Error(REDIS_SERVER_MISSING);
  const dir = mkdtempSync(join(tmpdir(), "anyclaude-redis-"));
  // redis-server cannot bind port 0 (it means "no TCP"), so a free port is picked first.
  const port = options.port ?? (await findClosedPort());
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning"];
  const child = Bun.spawn([binary, ...args], { stdout: "pipe", stderr: "pipe" });
  running.add(child);
  const stop = async () => {
    child.kill("SIGKILL");
    await child.exited;
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(port, child);
  } catch (error) {
    await stop();
    const log = `${await new Response(child.stdout).text()}${await new Response(child.stderr).text()}`;
    throw new Error(`${(error as Error).message}; its log:\n${log}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
}
