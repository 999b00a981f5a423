/**
 * A python-build-standalone archive as a distribution: verified by sha256,
 * extracted once into `<cache>/distributions/<sha256>/` (through a temporary
 * directory and a rename, under a lock), then read from its PYTHON.json.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { withLock } from '../util/lock.js';
import { writeError } from '../util/fs-errors.js';
import { trackTemporary } from '../util/interrupt.js';
import { BadArchiveError, extractTarZst, removeTree, UnsafeArchiveError } from './archive/extract.js';
import { checkSha256Format, fetchArchive, sha256File, verifyLocalArchive } from './archive/fetch.js';
import { distributionFromExtracted } from './python-json.js';
import { manifestPath, treeChanged, writeManifest } from './archive/extracted-manifest.js';
import type { PythonDistribution } from './types.js';

export interface ArchiveLocation {
  sha256: string;
  url?: string;
  localPath?: string;
}

export interface ArchiveOptions {
  cacheDir: string;
  /** Base for a relative `localPath`. */
  baseDir: string;
  log: (line: string) => void;
  /** Draw a progress bar while downloading (a terminal). */
  progress: boolean;
  /** One-line warnings: a damaged cached download or extracted tree, replaced. */
  warn?: (line: string) => void;
}

/** Turns extraction failures into one-line user errors naming the archive. */
export function archiveError(archive: string, e: unknown): unknown {
  if (e instanceof UnsafeArchiveError) return new OxidizeError('UNSAFE_ARCHIVE', `refusing to extract ${archive}: ${e.message}`, 'the archive is malformed or malicious; use a python-build-standalone release');
  if (e instanceof BadArchiveError) return new OxidizeError('BAD_ARCHIVE', `cannot extract ${archive}: ${e.message}`, 'the file is damaged or not a .tar.zst; download it again');
  return e;
}

/**
 * Extracts `archive` into `dir` atomically: into a sibling temporary
 * directory first, renamed to `dir` only when extraction succeeded.
 * `dir` must not exist (or be an empty directory). With `record`, what was
 * extracted is recorded beside it (extracted-manifest.ts), for the cache.
 */
export async function extractArchiveAtomically(archive: string, dir: string, record = false): Promise<void> {
  const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await fsp.mkdir(tmp, { recursive: true }).catch((e: unknown) => {
    throw writeError(dir, e);
  });
  const untrack = trackTemporary(tmp);
  try {
    await extractTarZst(archive, tmp);
    if (record) await writeManifest(tmp, dir);
    await fsp.rmdir(dir).catch(() => undefined);
    await fsp.rename(tmp, dir);
  } catch (e) {
    await removeTree(tmp);
    const mapped = archiveError(archive, e);
    // A full or read-only cache: one line naming it (writeError), not a bare errno.
    throw mapped === e ? writeError(typeof (e as NodeJS.ErrnoException).path === 'string' ? (e as NodeJS.ErrnoException).path! : dir, e) : mapped;
  } finally {
    untrack();
  }
}

/**
 * The extracted tree for a verified archive, extracting it on first use. A
 * tree that is no longer what was extracted (a file changed or removed, a
 * tree of an older extractor) is reported and extracted again.
 */
export async function extractedArchive(archive: string, sha256: string, cacheDir: string, warn?: (m: string) => void): Promise<string> {
  const dir = path.join(cacheDir, 'distributions', sha256);
  const exists = () => fsp.lstat(dir).then(() => true, () => false);
  if ((await exists()) && treeChanged(dir) === undefined) return dir;
  return withLock(path.join(cacheDir, 'locks', `distribution-${sha256}`), async () => {
    if (await exists()) {
      const changed = treeChanged(dir);
      if (changed === undefined) return dir;
      warn?.(`extracted distribution ${dir} is not as extracted (${changed}); extracting it again`);
      await removeTree(dir);
    }
    await fsp.rm(manifestPath(dir), { force: true });
    await extractArchiveAtomically(archive, dir, true);
    return dir;
  });
}

/** Resolves a distribution named by `{ sha256, url | localPath }`. */
export async function resolveArchiveDistribution(loc: ArchiveLocation, opts: ArchiveOptions): Promise<PythonDistribution> {
  if (!loc.url === !loc.localPath) {
    throw new OxidizeError('BAD_DISTRIBUTION', 'PythonDistribution needs exactly one of `url` and `localPath`', 'give the archive\'s URL or its local path, with its sha256');
  }
  const sha256 = checkSha256Format(loc.sha256, loc.url ?? loc.localPath!);
  const location = loc.url ?? path.resolve(opts.baseDir, loc.localPath!);
  const archive = loc.url
    ? await fetchArchive(loc.url, sha256, opts.cacheDir, { progress: opts.progress, log: opts.log, warn: opts.warn })
    : await verifyLocalArchive(location, sha256);
  return distributionFromVerifiedArchive(archive, sha256, { location }, opts.cacheDir, opts.warn);
}

/** The distribution of an archive whose sha256 was checked: extracted into the cache on first use, then read. */
export async function distributionFromVerifiedArchive(
  archive: string,
  sha256: string,
  origin: { location: string; package?: string },
  cacheDir: string,
  warn?: (message: string) => void,
): Promise<PythonDistribution> {
  const dir = await extractedArchive(archive, sha256, cacheDir, warn);
  return distributionFromExtracted(dir, { kind: 'archive', ...origin, sha256, extractedDir: dir }, sha256);
}

/** Opens an archive file given without a digest (the python-distribution-* commands): its digest is computed. */
export async function openArchiveFile(file: string, opts: Omit<ArchiveOptions, 'baseDir'>): Promise<PythonDistribution> {
  const sha256 = await sha256File(file).catch((e: NodeJS.ErrnoException) => {
    throw new OxidizeError('NO_ARCHIVE', `cannot read ${file}: ${e.code ?? e.message}`, 'give the path of a .tar.zst distribution archive, or `host`');
  });
  return resolveArchiveDistribution({ sha256, localPath: file }, { ...opts, baseDir: process.cwd() });
}
