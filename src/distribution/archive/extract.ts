/**
 * Extracts a `.tar.zst` into a directory without ever writing outside it.
 *
 * Refused, with the entry named: absolute paths, `..` components, entries
 * written through a symbolic link of the archive, symbolic links whose
 * target leaves the tree (checked when they are made and again once the
 * whole tree exists, since a later entry can change what a target
 * resolves through), hard links to anything but a regular file extracted
 * before, device files and FIFOs. Callers extract into a fresh temporary
 * directory and rename it into place, so a refused archive leaves nothing.
 */
import { createReadStream, createWriteStream, linkSync, mkdirSync, promises as fsp, symlinkSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { decompressFrames, ZstdFormatError } from './zstd-frames.js';

export class UnsafeArchiveError extends Error {}
export class BadArchiveError extends Error {}

/** Splits an archive path into its components; throws for absolute paths and `..`. */
function components(entryPath: string, what: string): string[] {
  if (entryPath.startsWith('/')) throw new UnsafeArchiveError(`${what} ${JSON.stringify(entryPath)} is an absolute path`);
  const parts = entryPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveError(`${what} ${JSON.stringify(entryPath)} has a '..' component`);
  return parts;
}

class Tree {
  /** Symbolic links made so far, by archive path. */
  readonly symlinks = new Map<string, string>();
  /** Regular files, by archive path, with the promise of their content being written. */
  readonly files = new Map<string, Promise<void>>();
  /** Files being written: closed at once when the extraction fails, so nothing waits for them. */
  readonly open = new Set<WriteStream>();

  constructor(readonly root: string) {}

  /** Refuses a path one of whose leading directories (or itself) is a symbolic link of the archive. */
  checkNoSymlinkOnPath(parts: string[], entryPath: string): void {
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.symlinks.has(prefix)) {
        throw new UnsafeArchiveError(`entry ${JSON.stringify(entryPath)} would be written through the symbolic link ${JSON.stringify(prefix)}`);
      }
    }
  }

  /**
   * Resolves a symbolic link's target inside the tree, following the
   * archive's own links, and throws if the result leaves the tree.
   */
  resolveInside(linkParts: string[], target: string, entryPath: string, depth = 0): string[] {
    if (target.startsWith('/')) throw new UnsafeArchiveError(`symbolic link ${JSON.stringify(entryPath)} points to the absolute path ${JSON.stringify(target)}`);
    if (depth > 40) throw new UnsafeArchiveError(`symbolic link ${JSON.stringify(entryPath)} is part of a loop`);
    const stack = linkParts.slice(0, -1);
    for (const part of target.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (stack.length === 0) throw new UnsafeArchiveError(`symbolic link ${JSON.stringify(entryPath)} points outside the archive (${JSON.stringify(target)})`);
        stack.pop();
        continue;
      }
      stack.push(part);
      const through = this.symlinks.get(stack.join('/'));
      if (through !== undefined) {
        const resolved = this.resolveInside([...stack], through, entryPath, depth + 1);
        stack.splice(0, stack.length, ...resolved);
      }
    }
    return stack;
  }
}

function entryMode(entry: ReadEntry): number {
  // No set-id bits; the owner can always read and write what is extracted.
  return ((entry.mode ?? 0o644) & 0o777) | 0o600;
}

/** Makes one entry; returns a promise for its content when it is a file. */
function place(tree: Tree, entry: ReadEntry): Promise<void> | undefined {
  const parts = components(entry.path, 'entry');
  const rel = parts.join('/');
  if (parts.length === 0) {
    entry.resume();
    return undefined;
  }
  tree.checkNoSymlinkOnPath(parts, entry.path);
  const full = path.join(tree.root, ...parts);
  switch (entry.type) {
    case 'Directory':
      mkdirSync(full, { recursive: true, mode: 0o755 });
      entry.resume();
      return undefined;
    case 'File':
    case 'OldFile':
    case 'ContiguousFile': {
      mkdirSync(path.dirname(full), { recursive: true, mode: 0o755 });
      const out = createWriteStream(full, { mode: entryMode(entry) });
      tree.open.add(out);
      const done = new Promise<void>((resolve, reject) => {
        out.on('close', () => {
          tree.open.delete(out);
          resolve();
        });
        out.on('error', (e) => {
          // A failed write (a full disk): the entry's remaining bytes are let through, so the parser is not left waiting.
          entry.unpipe(out);
          entry.resume();
          reject(e);
        });
      });
      entry.pipe(out);
      tree.files.set(rel, done);
      return done;
    }
    case 'SymbolicLink': {
      const target = entry.linkpath ?? '';
      tree.resolveInside(parts, target, entry.path);
      mkdirSync(path.dirname(full), { recursive: true, mode: 0o755 });
      symlinkSync(target, full);
      tree.symlinks.set(rel, target);
      entry.resume();
      return undefined;
    }
    case 'Link': {
      const targetParts = components(entry.linkpath ?? '', `hard link ${JSON.stringify(entry.path)} to`);
      const target = targetParts.join('/');
      tree.checkNoSymlinkOnPath(targetParts, entry.linkpath ?? '');
      const written = tree.files.get(target);
      if (!written) throw new UnsafeArchiveError(`hard link ${JSON.stringify(entry.path)} points to ${JSON.stringify(entry.linkpath)}, which is not a file extracted before it`);
      mkdirSync(path.dirname(full), { recursive: true, mode: 0o755 });
      entry.resume();
      // The target's bytes may still be in flight; link once they are written.
      const linked = written.then(() => linkSync(path.join(tree.root, ...targetParts), full));
      tree.files.set(rel, linked);
      return linked;
    }
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
      throw new UnsafeArchiveError(`entry ${JSON.stringify(entry.path)} is a device file or FIFO (${entry.type}), which a Python distribution never holds`);
    default:
      // Metadata the parser did not consume itself (GNU dump directories, ...): nothing to write.
      entry.resume();
      return undefined;
  }
}

/** Re-checks every symbolic link against the finished tree. */
async function recheckSymlinks(tree: Tree): Promise<void> {
  for (const [rel, target] of tree.symlinks) tree.resolveInside(rel.split('/'), target, rel);
}

/** Extracts `archive` (a zstd-compressed tar) into `dir`, which must exist and be empty. */
export async function extractTarZst(archive: string, dir: string): Promise<void> {
  const tree = new Tree(dir);
  const parser = new Parser({ strict: true });
  let failure: Error | undefined;
  const fail = (e: unknown) => {
    failure ??= e instanceof Error ? e : new Error(String(e));
  };
  const writes: Promise<void>[] = [];
  parser.on('entry', (entry: ReadEntry) => {
    if (failure) return entry.resume();
    try {
      const w = place(tree, entry);
      if (w) writes.push(w.catch(fail));
    } catch (e) {
      fail(e);
      entry.resume();
    }
  });
  parser.on('error', (e: Error) => fail(new BadArchiveError(`not a valid tar stream: ${e.message}`)));
  parser.on('warn', (_code: string, message: string | Error) => fail(new BadArchiveError(`not a valid tar stream: ${String(message)}`)));
  try {
    for await (const chunk of decompressFrames(createReadStream(archive))) {
      if (failure) break;
      for (let at = 0; at < chunk.length && !failure; at += 1 << 20) {
        if (!parser.write(chunk.subarray(at, at + (1 << 20)))) await once(parser, 'drain');
      }
    }
    if (!failure) {
      const ended = once(parser, 'end');
      parser.end();
      await ended;
    }
  } catch (e) {
    fail(e instanceof ZstdFormatError ? new BadArchiveError(e.message) : e);
  }
  // Stopped early: files still being written will get no more bytes.
  if (failure) for (const out of tree.open) out.destroy();
  await Promise.all(writes);
  if (!failure) await recheckSymlinks(tree).catch(fail);
  if (failure) throw failure;
}

/** Removes a directory tree (a failed extraction). */
export async function removeTree(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true });
}
