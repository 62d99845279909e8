/**
 * downloadModelFile against a loopback server that serves the stand-in model as a model hub
 * does (a redirect stating the SHA-256 in x-linked-etag, then the storage's answer), as a plain
 * server with a SHA-256 ETag, and with no hash at all; wrong hashes and cut transfers must fail
 * and leave no file behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { downloadModelFile } from "../../../src/embed/download-model-file";
import { generateMiniLMStandin } from "../../support/generate-minilm-standin";

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-download-"));
const model = generateMiniLMStandin();
const sha256 = new Bun.CryptoHasher("sha256").update(model).digest("hex");
const otherSha256 = "0".repeat(64);
let server: ReturnType<typeof Bun.serve>;
let cutServer: Bun.TCPSocketListener<undefined>;
let baseUrl: string;

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const path = new URL(request.url).pathname;
      const blob = () =>
        new Response(model, { headers: { "content-type": "application/octet-stream", etag: '"d41d8cd98f00b204e9800998ecf8427e"' } });
      switch (path) {
        case "/hub/model.onnx":
          return new Response(null, {
            status: 302,
            headers: { location: "/storage/blob?signature=x", "x-linked-etag": `"${sha256}"`, "x-linked-size": String(model.length) },
          });
        case "/hub/wrong.onnx":
          return new Response(null, { status: 302, headers: { location: `${baseUrl}/storage/blob`, "x-linked-etag": `"${otherSha256}"` } });
        case "/storage/blob":
          return blob();
        case "/etag/model.onnx":
          return new Response(model, { headers: { etag: `W/"${sha256.toUpperCase()}"` } });
        case "/plain/model.onnx":
          return new Response(model);
        case "/loop":
          return Response.redirect(`${baseUrl}/loop`, 302);
        default:
          return new Response("no such model", { status: 404 });
      }
    },
  });
  baseUrl = `http://127.0.0.1:${server.port}`;
  // A server whose connection drops a sixth of the way through the body it announced.
  cutServer = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${model.length}\r\nconnection: close\r\n\r\n`);
        socket.write(model.subarray(0, 100_000));
        socket.end();
      },
    },
  });
});
afterAll(() => {
  cutServer.stop(true);
  server.stop(true);
  rmSync(scratch, { recursive: true, force: true });
});

let case_ = 0;
function freshTarget() {
  const dir = join(scratch, `case-${++case_}`, "models");
  return { dir, target: join(dir, "all-MiniLM-L6-v2.onnx") };
}

describe("a download that checks out", () => {
  test("from a hub: follows the redirect, checks x-linked-etag, records it", async () => {
    const { target } = freshTarget();
    const progress: [number, number | undefined][] = [];
    const record = await downloadModelFile({
      url: `${baseUrl}/hub/model.onnx`,
      target,
      onProgress: (received, total) => progress.push([received, total]),
    });
    expect(readFileSync(target)).toEqual(Buffer.from(model));
    expect(record).toMatchObject({
      url: `${baseUrl}/hub/model.onnx`,
      finalUrl: `${baseUrl}/storage/blob?signature=x`,
      bytes: model.length,
      sha256,
      verifiedAgainst: ["x-linked-etag"],
    });
    // The storage's MD5 ETag is not taken for a SHA-256.
    expect(JSON.parse(readFileSync(`${target}.json`, "utf8"))).toEqual(record);
    expect(progress.at(-1)).toEqual([model.length, model.length]);
    expect(progress.every(([received], index) => index === 0 || received > progress[index - 1]![0])).toBe(true);
  });

  test("with --sha256 as well: both checks recorded", async () => {
    const { target } = freshTarget();
    const record = await downloadModelFile({ url: `${baseUrl}/hub/model.onnx`, target, sha256: sha256.toUpperCase() });
    expect(record.verifiedAgainst).toEqual(["--sha256", "x-linked-etag"]);
  });

  test("a plain server whose ETag is a SHA-256 (weak, upper case)", async () => {
    const { target } = freshTarget();
    expect((await downloadModelFile({ url: `${baseUrl}/etag/model.onnx`, target })).verifiedAgainst).toEqual(["etag"]);
  });

  test("no hash from anyone: kept, and recorded as verified against nothing", async () => {
    const { target } = freshTarget();
    const record = await downloadModelFile({ url: `${baseUrl}/plain/model.onnx`, target });
    expect(record.verifiedAgainst).toEqual([]);
    expect(record.sha256).toBe(sha256);
    expect(existsSync(target)).toBe(true);
  });
});

describe("a download that fails leaves no file", () => {
  async function expectFailure(options: { url: string; sha256?: string }, message: string) {
    const { dir, target } = freshTarget();
    await expect(downloadModelFile({ ...options, target })).rejects.toThrow(message);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  }

  test("the host's hash disagrees", () =>
    expectFailure({ url: `${baseUrl}/hub/wrong.onnx` }, `has SHA-256 ${sha256}, but x-linked-etag says ${otherSha256}; nothing was saved`));
  test("the user's --sha256 disagrees", () =>
    expectFailure({ url: `${baseUrl}/plain/model.onnx`, sha256: otherSha256 }, `but --sha256 says ${otherSha256}`));
  test("the connection drops mid-transfer", () =>
    expectFailure({ url: `http://127.0.0.1:${cutServer.port}/model.onnx` }, `of ${model.length} bytes (`));
  test("the server says 404", () =>
    expectFailure({ url: `${baseUrl}/hub/absent.onnx` }, `${baseUrl}/hub/absent.onnx answered 404: no such model`));
  test("endless redirects", () => expectFailure({ url: `${baseUrl}/loop` }, "redirected more than 10 times"));
  test("a --sha256 that is not one is refused before downloading", () =>
    expectFailure({ url: `${baseUrl}/plain/model.onnx`, sha256: "abc" }, '--sha256 must be 64 hexadecimal digits, not "abc"'));

  test("a file already in place stays as it was when a new download fails", async () => {
    const { target } = freshTarget();
    await downloadModelFile({ url: `${baseUrl}/plain/model.onnx`, target });
    writeFileSync(target, "the earlier model");
    await expect(downloadModelFile({ url: `${baseUrl}/hub/wrong.onnx`, target })).rejects.toThrow("nothing was saved");
    expect(readFileSync(target, "utf8")).toBe("the earlier model");
  });
});
