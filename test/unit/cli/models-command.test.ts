/**
 * `anyclaude models pull` in-process through runCli, against a loopback server serving the
 * stand-in model: the file lands where the embedder looks, with its record; a progress bar is
 * drawn only on a terminal; a hash mismatch fails and leaves nothing; usage mistakes exit 2.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locateMiniLMModel } from "../../../src/embed/locate-minilm-model";
import { MiniLMEmbedder } from "../../../src/embed/minilm-embedder";
import { generateMiniLMStandin } from "../../support/generate-minilm-standin";
import { runCliInProcess } from "../../support/run-cli-in-process";

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-models-"));
const model = generateMiniLMStandin();
const sha256 = new Bun.CryptoHasher("sha256").update(model).digest("hex");
let server: ReturnType<typeof Bun.serve>;
let baseUrl: string;

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/hub/model.onnx")
        return new Response(null, { status: 302, headers: { location: "/blob", "x-linked-etag": `"${sha256}"` } });
      if (path === "/blob" || path === "/plain/model.onnx") return new Response(model);
      return new Response("not found", { status: 404 });
    },
  });
  baseUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(() => {
  server.stop(true);
  rmSync(scratch, { recursive: true, force: true });
});

async function runModels(args: string[], terminal = false) {
  const home = mkdtempSync(join(scratch, "home-"));
  return { ...(await runCliInProcess(["models", ...args], { HOME: home }, terminal)), cacheDir: join(home, ".cache", "anyclaude") };
}

describe("anyclaude models pull", () => {
  test("downloads into <cache dir>/models/, verified, where the embedder then finds and loads it", async () => {
    const { stdout, stderr, status, cacheDir } = await runModels(["pull", "--url", `${baseUrl}/hub/model.onnx`]);
    const target = join(cacheDir, "models", "all-MiniLM-L6-v2.onnx");
    expect(status).toBe(0);
    expect(stderr).toBe(`downloading ${baseUrl}/hub/model.onnx\n       into ${target}\n`);
    expect(stdout).toBe(`saved ${target} (0.6 MB)\nsha256 ${sha256}, verified against x-linked-etag\n`);
    expect(readdirSync(join(cacheDir, "models")).sort()).toEqual(["all-MiniLM-L6-v2.onnx", "all-MiniLM-L6-v2.onnx.json"]);
    expect(locateMiniLMModel({ cacheDir })).toEqual({ found: true, path: target, origin: "downloaded" });
    const embedder = new MiniLMEmbedder({ cacheDir });
    expect((await embedder.embed(["hello"]))[0]!.length).toBe(384);
    expect((await embedder.load()).origin).toBe("downloaded");
    await embedder.close();
  });

  test("--cache-dir decides where it goes", async () => {
    const cacheDir = join(scratch, "elsewhere");
    const { status } = await runModels(["pull", "--url", `${baseUrl}/hub/model.onnx`, "--cache-dir", cacheDir]);
    expect(status).toBe(0);
    expect(existsSync(join(cacheDir, "models", "all-MiniLM-L6-v2.onnx"))).toBe(true);
  });

  test("on a terminal a progress bar is drawn in place and ends its line", async () => {
    const { stderr, status } = await runModels(["pull", "--url", `${baseUrl}/plain/model.onnx`], true);
    expect(status).toBe(0);
    expect(stderr).toContain("\rall-MiniLM-L6-v2.onnx (MB) [##############################] 100% 0.6/0.6");
    expect(stderr.endsWith("\n")).toBe(true);
  });

  test("no hash anywhere: kept, with a warning that it was not verified", async () => {
    const { stdout, status } = await runModels(["pull", "--url", `${baseUrl}/plain/model.onnx`]);
    expect(status).toBe(0);
    expect(stdout).toContain(`sha256 ${sha256}, NOT verified: the host stated no SHA-256 and none was given with --sha256`);
  });

  test("a --sha256 that does not match: status 1, the reason, and no file", async () => {
    const wrong = "f".repeat(64);
    const { stderr, status, cacheDir } = await runModels(["pull", "--url", `${baseUrl}/hub/model.onnx`, "--sha256", wrong]);
    expect(status).toBe(1);
    expect(stderr).toContain(
      `anyclaude: models pull failed: the download from ${baseUrl}/hub/model.onnx has SHA-256 ${sha256}, but --sha256 says ${wrong}; nothing was saved`,
    );
    expect(readdirSync(join(cacheDir, "models"))).toEqual([]);
  });

  test("usage mistakes: no action, an unknown action, an unknown option", async () => {
    expect((await runModels([])).stderr).toContain("anyclaude: models: missing action (pull)");
    expect((await runModels(["push"])).status).toBe(2);
    const unknown = await runModels(["pull", "--mirror", "x"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("anyclaude: models pull: unknown option '--mirror'");
  });

  test("help names the options", async () => {
    const { stdout, status } = await runModels(["pull", "--help"]);
    expect(status).toBe(0);
    expect(stdout).toStartWith("Usage: anyclaude models pull [--url URL] [--sha256 HEX] [options]");
    expect(stdout).toContain("--sha256 HEX");
  });
});
