import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSize } from '../../analyze/render.js';
import { OxidizeError } from '../../errors.js';
import { cacheDir } from '../../util/paths.js';

async function sizeOf(p: string): Promise<{ bytes: number; files: number }> {
  const st = await fsp.lstat(p).catch(() => undefined);
  if (!st) return { bytes: 0, files: 0 };
  if (!st.isDirectory()) return { bytes: st.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const name of await fsp.readdir(p).catch(() => [] as string[])) {
    const s = await sizeOf(path.join(p, name));
    bytes += s.bytes;
    files += s.files;
  }
  return { bytes, files };
}

/**
 * What oxidize makes in its cache directory (docs/cli.md, Caches). `clear`
 * removes these and nothing else: a mistyped OXIDIZE_CACHE_DIR naming a
 * project or a home directory loses no file of the user's.
 */
export const CACHE_ENTRIES = [
  'bytecode',
  'cargo-target',
  'config-transpiled',
  'conformance',
  'deflate',
  'distributions',
  'downloads',
  'imports',
  'locks',
  'lz4',
  'pip',
  'probes',
  'stubs',
] as const;

/** `oxidize cache info|clear`: where the cache is and what it holds; empty it. */
export async function cacheCommand(action: string, o: { json?: boolean }): Promise<number> {
  const dir = cacheDir();
  if (action === 'info') {
    const names = (await fsp.readdir(dir).catch(() => [] as string[])).sort();
    const parts = await Promise.all(names.map(async (name) => ({ name, ...(await sizeOf(path.join(dir, name))) })));
    const total = parts.reduce((n, p) => n + p.bytes, 0);
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ directory: dir, bytes: total, entries: parts }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`cache: ${dir} (${formatSize(total)}; set OXIDIZE_CACHE_DIR to move it)\n`);
    const width = Math.max(0, ...parts.map((p) => p.name.length));
    for (const p of parts) process.stdout.write(`  ${p.name.padEnd(width)}  ${formatSize(p.bytes).padStart(10)}  ${p.files} files\n`);
    return 0;
  }
  if (action === 'clear') {
    // Refuse directories that cannot be a cache: a mistyped OXIDIZE_CACHE_DIR must not empty a home directory.
    if (dir === path.parse(dir).root || dir === os.homedir()) {
      throw new OxidizeError('CACHE_DIR_UNSAFE', `the cache directory is ${dir}; not clearing it`, 'point OXIDIZE_CACHE_DIR at a directory of its own');
    }
    const st = await fsp.stat(dir).catch(() => undefined);
    if (st && !st.isDirectory()) {
      throw new OxidizeError('CACHE_DIR_UNSAFE', `the cache directory ${dir} is not a directory; not clearing it`, 'point OXIDIZE_CACHE_DIR at a directory of its own');
    }
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    const ours = names.filter((n) => (CACHE_ENTRIES as readonly string[]).includes(n));
    const others = names.filter((n) => !ours.includes(n)).sort();
    let bytes = 0;
    for (const name of ours) {
      bytes += (await sizeOf(path.join(dir, name))).bytes;
      await fsp.rm(path.join(dir, name), { recursive: true, force: true });
    }
    process.stdout.write(`cleared ${dir} (${formatSize(bytes)}); the next build rebuilds the runtime stub\n`);
    if (others.length > 0) {
      const listed = others.slice(0, 5).join(', ') + (others.length > 5 ? `, and ${others.length - 5} more` : '');
      process.stderr.write(`oxidize: warning: left ${others.length} ${others.length === 1 ? 'entry' : 'entries'} in ${dir} that oxidize does not make: ${listed}\n`);
    }
    return 0;
  }
  throw new OxidizeError('USAGE', `unknown cache action ${action}`, 'use `oxidize cache info` or `oxidize cache clear`');
}
