/** Starts the cached llama-server on a free loopback port for a test, and stops it again. */
import { findLlamaServer } from "./engines";

export interface StartLlamaServerOptions {
  modelPath: string;
  /** Context size (`-c`); default 32768, room for Claude Code's first request (about 17,000 tokens with the tiny models). */
  ctx?: number;
  /** CPU threads (`-t`); default 1, which on a busy 2-core machine is far faster than llama.cpp's default. */
  threads?: number;
  extraArgs?: string[];
  /** Defaults to findLlamaServer(). */
  binary?: string;
}

export interface RunningLlamaServer {
  url: string;
  port: number;
  pid: number;
  /** Kills the server and waits for it to exit. */
  stop(): Promise<void>;
}

const running = new Set<Bun.Subprocess>();
// A test run that ends (or crashes) with servers still up must not leave them behind.
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Reads the server's log for as long as it runs (a pipe nobody reads would eventually block it),
 * keeping the last lines for error messages, and resolves with the port once it is logged.
 */
function followLog(stream: ReadableStream<Uint8Array>, lines: string[]): Promise<number | undefined> {
  return new Promise((resolve) => {
    void (async () => {
      const decoder = new TextDecoder();
      let pending = "";
      for await (const chunk of stream) {
        pending += decoder.decode(chunk, { stream: true });
        const complete = pending.split("\n");
        pending = complete.pop() ?? "";
        for (const line of complete) {
          lines.push(line);
          if (lines.length > 200) lines.shift();
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
          if (match) resolve(Number(match[1]));
        }
      }
      resolve(undefined);
    })();
  });
}

async function waitForHealth(url: string, child: Bun.Subprocess): Promise<void> {
  // /health answers 503 while the model loads; the loop ends when the process exits, too.
  while (child.exitCode === null) {
    const response = await fetch(`${url}/health`).catch(() => undefined);
    if (response?.status === 200) return;
    await Bun.sleep(50);
  }
  throw new Error(`llama-server exited with code ${child.exitCode} before becoming healthy`);
}

/**
 * @example
 * const server = await startLlamaServer({ modelPath: "/tmp/chatty.gguf" });
 * await fetch(`${server.url}/v1/models`);
 * await server.stop();
 */
export async function startLlamaServer(options: StartLlamaServerOptions): Promise<RunningLlamaServer> {
  const binary = options.binary ?? findLlamaServer();
  if (!binary) throw new Error("llama-server is not built; run `bun run engines`");
  // --port 0 lets the server bind any free port itself (no race with other tests); it logs which one.
  const args = [
    "-m",
    options.modelPath,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "-c",
    String(options.ctx ?? 32768),
    "-t",
    String(options.threads ?? 1),
    "-np",
    "1",
    "--jinja",
    "--no-webui",
    ...(options.extraArgs ?? []),
  ];
  const child = Bun.spawn([binary, ...args], { stdout: "ignore", stderr: "pipe" });
  running.add(child);
  const log: string[] = [];
  const port = await followLog(child.stderr, log);
  const stop = async () => {
    child.kill("SIGKILL");
    await child.exited;
    running.delete(child);
  };
  if (port === undefined) {
    await stop();
    throw new Error(`llama-server did not report its port; its log:\n${log.join("\n")}`);
  }
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child).catch(async (error: Error) => {
    await stop();
    throw new Error(`${error.message}; its log:\n${log.join("\n")}`);
  });
  return { url, port, pid: child.pid, stop };
}
