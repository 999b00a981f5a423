/**
 * Gets a distribution archive's bytes to a local file whose sha256 has been
 * checked: a local path is hashed in place; a URL is downloaded once into
 * the cache (to a temporary name, hashed while it streams, renamed only
 * when the digest matches) and reused offline afterwards. Nothing reads an
 * archive's content before its digest matched.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../../errors.js';
import { temporaryPath } from '../../util/fs.js';
import { withLock } from '../../util/lock.js';
import { DownloadProgress } from './progress.js';

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function mismatch(what: string, expected: string, actual: string): OxidizeError {
  return new OxidizeError(
    'SHA256_MISMATCH',
    `sha256 mismatch for ${what}: expected ${expected}, got ${actual}`,
    'check the `sha256` given with the distribution (nothing was kept)',
  );
}

export function checkSha256Format(sha256: string, where: string): string {
  const s = sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(s)) {
    throw new OxidizeError('BAD_SHA256', `${where}: sha256 ${JSON.stringify(sha256)} is not 64 hexadecimal digits`, 'give the archive\'s digest as printed by `sha256sum`');
  }
  return s;
}

/** Verifies a local archive; returns its path. */
export async function verifyLocalArchive(file: string, sha256: string): Promise<string> {
  const actual = await sha256File(file).catch((e: NodeJS.ErrnoException) => {
    throw new OxidizeError('NO_ARCHIVE', `cannot read the distribution archive ${file}: ${e.code ?? e.message}`, 'check `localPath`');
  });
  if (actual !== sha256) throw mismatch(file, sha256, actual);
  return file;
}

async function download(url: string, target: string, sha256: string, showProgress: boolean, log: (l: string) => void): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new OxidizeError('DOWNLOAD_FAILED', `cannot download ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, 'check the URL and the network, or download it yourself and use `localPath`');
  }
  if (!response.ok || !response.body) {
    throw new OxidizeError('DOWNLOAD_FAILED', `cannot download ${url}: HTTP ${response.status} ${response.statusText}`, 'check the URL, or download it yourself and use `localPath`');
  }
  const total = Number(response.headers.get('content-length')) || undefined;
  const progress = new DownloadProgress(url, total, showProgress, log);
  const tmp = temporaryPath(target);
  const h = createHash('sha256');
  const fh = await fsp.open(tmp, 'w', 0o644);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      h.update(chunk);
      await fh.write(chunk);
      progress.add(chunk.length);
    }
    await fh.close();
    progress.done();
    const actual = h.digest('hex');
    if (actual !== sha256) throw mismatch(url, sha256, actual);
    await fsp.rename(tmp, target);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    if (e instanceof OxidizeError) throw e;
    throw new OxidizeError('DOWNLOAD_FAILED', `downloading ${url} failed: ${(e as Error).message}`, 'try again, or download it yourself and use `localPath`');
  }
}

/** Path of the verified archive for `url`, downloading it into `cacheDir` unless already there. */
export async function fetchArchive(
  url: string,
  sha256: string,
  cacheDir: string,
  opts: { progress: boolean; log: (l: string) => void; warn?: (l: string) => void },
): Promise<string> {
  const target = path.join(cacheDir, 'downloads', `${sha256}.tar.zst`);
  await fsp.mkdir(path.dirname(target), { recursive: true });
  return withLock(path.join(cacheDir, 'locks', `download-${sha256}`), async () => {
    if (await fsp.lstat(target).then(() => true, () => false)) {
      // Cached under its digest; still checked, as every use of an archive is. A damaged one is fetched again.
      try {
        return await verifyLocalArchive(target, sha256);
      } catch (e) {
        const reason = e instanceof OxidizeError && e.code === 'SHA256_MISMATCH' ? 'its sha256 no longer matches' : (e as Error).message;
        opts.warn?.(`cached download ${target} is damaged (${reason}); downloading it again`);
        await fsp.rm(target, { recursive: true, force: true });
      }
    }
    await download(url, target, sha256, opts.progress, opts.log);
    return target;
  });
}
