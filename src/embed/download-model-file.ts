/**
 * Downloads a model file with an integrity check and a record of what was checked. No hash is
 * built in: the file is checked against what the host states (a SHA-256 in `x-linked-etag`,
 * which model hubs send on the redirect to their storage, or in `etag`) and against a
 * `--sha256` the user gives. The bytes go to `<target>.partial` and are renamed into place
 * only once verified, so a failed or interrupted download never leaves a file the embedder
 * would load; `<target>.json` records the URL, size, SHA-256 and what it was verified against.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";

const MAX_REDIRECTS = 10;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface DownloadModelOptions {
  url: string;
  target: string;
  /** A SHA-256 (hex) the user expects; the download must match it. */
  sha256?: string;
  /** Called after every chunk; `total` is the Content-Length when the server sent one. */
  onProgress?: (received: number, total: number | undefined) => void;
}

type HashSource = "--sha256" | "x-linked-etag" | "etag";

export interface DownloadedModelRecord {
  url: string;
  /** Where the bytes came from after redirects. */
  finalUrl: string;
  bytes: number;
  sha256: string;
  /** The hashes the file was checked against; empty when neither the host nor the user gave one. */
  verifiedAgainst: HashSource[];
  downloadedAt: string;
}

/**
 * @example
 * const record = await downloadModelFile({ url, target: downloadedMiniLMPath(paths.cacheDir), onProgress });
 * record.verifiedAgainst; // ["x-linked-etag"]
 */
export async function downloadModelFile(options: DownloadModelOptions): Promise<DownloadedModelRecord> {
  const expected = new Map<HashSource, string>();
  if (options.sha256 !== undefined) {
    const given = options.sha256.toLowerCase();
    if (!SHA256_HEX.test(given)) throw new Error(`--sha256 must be 64 hexadecimal digits, not "${options.sha256}"`);
    expected.set("--sha256", given);
  }
  const { response, finalUrl } = await fetchFollowingRedirects(options.url, expected);
  const hostEtag = readSha256Header(response.headers.get("etag"));
  if (hostEtag && !expected.has("x-linked-etag")) expected.set("etag", hostEtag);

  const partial = `${options.target}.partial`;
  mkdirSync(dirname(options.target), { recursive: true, mode: 0o700 });
  try {
    const { bytes, sha256 } = await writeBody(response, partial, options.onProgress);
    const mismatches = [...expected].filter(([, hash]) => hash !== sha256).map(([source, hash]) => `${source} says ${hash}`);
    if (mismatches.length > 0)
      throw new Error(`the download from ${options.url} has SHA-256 ${sha256}, but ${mismatches.join(" and ")}; nothing was saved`);
    renameSync(partial, options.target);
    const record: DownloadedModelRecord = {
      url: options.url,
      finalUrl,
      bytes,
      sha256,
      verifiedAgainst: [...expected.keys()],
      downloadedAt: new Date().toISOString(),
    };
    writeFileSync(`${options.target}.json`, `${JSON.stringify(record, null, 2)}\n`);
    return record;
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Follows redirects by hand: the hash a hub states is on the redirect, not on the storage's answer. */
async function fetchFollowingRedirects(url: string, expected: Map<HashSource, string>): Promise<{ response: Response; finalUrl: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // identity: a compressed transfer would make Content-Length disagree with the bytes received.
    const response = await fetch(current, { redirect: "manual", headers: { "accept-encoding": "identity" } });
    const linked = readSha256Header(response.headers.get("x-linked-etag"));
    if (linked && !expected.has("x-linked-etag")) expected.set("x-linked-etag", linked);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 200);
      throw new Error(`${current} answered ${response.status}${detail ? `: ${detail}` : ""}`);
    }
    return { response, finalUrl: current };
  }
  throw new Error(`${url} redirected more than ${MAX_REDIRECTS} times`);
}

/** An ETag is only taken as a SHA-256 when it looks like one; many are MD5s or opaque. */
function readSha256Header(value: string | null): string | undefined {
  const unquoted = value?.replace(/^W\//, "").replace(/"/g, "").trim().toLowerCase();
  return unquoted && SHA256_HEX.test(unquoted) ? unquoted : undefined;
}

async function writeBody(
  response: Response,
  path: string,
  onProgress: DownloadModelOptions["onProgress"],
): Promise<{ bytes: number; sha256: string }> {
  const lengthHeader = response.headers.get("content-length");
  const total = lengthHeader === null ? undefined : Number(lengthHeader);
  const hasher = new Bun.CryptoHasher("sha256");
  const file = await open(path, "w", 0o600);
  let bytes = 0;
  const ofTotal = total === undefined ? "" : ` of ${total}`;
  try {
    for await (const chunk of response.body ?? []) {
      await file.write(chunk);
      hasher.update(chunk);
      bytes += chunk.length;
      onProgress?.(bytes, total);
    }
  } catch (error) {
    throw new Error(`the download broke off after ${bytes}${ofTotal} bytes (${(error as Error).message}); nothing was saved`, {
      cause: error,
    });
  } finally {
    await file.close();
  }
  if (total !== undefined && bytes !== total) throw new Error(`the download ended after ${bytes}${ofTotal} bytes; nothing was saved`);
  return { bytes, sha256: hasher.digest("hex") };
}
