/**
 * The key under which a `pipInstall` result is cached: everything that
 * decides what pip installs, and nothing that varies between identical runs.
 *
 * - the plugin's own code (index.js, tree-archive.js: how pip is run and its tree stored);
 * - the distribution (its identity and interpreter);
 * - pip's arguments, the extra environment and the `PIP_*` variables;
 * - every local file or directory the arguments name (a wheel, a `--find-links`
 *   directory, a project directory, a requirements file and the local paths
 *   inside it), by path and by the SHA-256 of its contents.
 *
 * Requirements served by an index are keyed by how they are written: an
 * unpinned `flask` is not re-resolved while the key stays the same.
 */
import { createHash, type Hash } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PythonDistribution } from '../../src/plugin-api.js';

/** Bumped when the cached layout or the key's inputs change. */
const KEY_VERSION = 'pip-install-cache 1';

/**
 * The plugin's own code (how it runs pip, how it packs the tree): a result
 * cached by another version of it is never taken, even when KEY_VERSION was
 * not bumped.
 */
let producer: string | undefined;
function producerDigest(): string {
  if (producer === undefined) {
    const h = createHash('sha256');
    for (const f of ['./index.js', './tree-archive.js']) h.update(f).update('\0').update(readFileSync(new URL(f, import.meta.url))).update('\0');
    producer = h.digest('hex').slice(0, 16);
  }
  return producer;
}

/**
 * Directories never read when hashing a local directory: version-control
 * and tool state, bytecode caches, and `build/`, where setuptools and oxidize
 * itself write their output (an input that changed with every build would
 * make the cache useless).
 */
function skippedDirectory(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || name === '__pycache__' || name === 'build';
}

/** Options whose value is a requirements or constraints file: local paths inside it count too. */
const REQUIREMENT_FILE_OPTIONS = new Set(['-r', '--requirement', '-c', '--constraint']);

/** The local path a token may name: a plain path, a `file:` URL, or a `name @ file:...` reference. */
function candidatePath(token: string): string | undefined {
  let t = token.trim();
  const at = t.indexOf(' @ ');
  if (at >= 0) t = t.slice(at + 3).trim();
  if (t.startsWith('file://')) t = decodeURIComponent(t.slice('file://'.length));
  else if (t.startsWith('file:')) t = decodeURIComponent(t.slice('file:'.length));
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return undefined;
  return t === '' ? undefined : t;
}

async function hashDirectory(h: Hash, dir: string, rel: string): Promise<void> {
  const list = (await fsp.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of list) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    const full = path.join(dir, r);
    if (d.isDirectory()) {
      if (skippedDirectory(d.name)) continue;
      h.update(`dir ${r}\0`);
      await hashDirectory(h, dir, r);
    } else if (d.isSymbolicLink()) {
      h.update(`link ${r} ${await fsp.readlink(full)}\0`);
    } else if (d.isFile()) {
      h.update(`file ${r}\0`).update(await fsp.readFile(full)).update('\0');
    }
  }
}

class KeyBuilder {
  private readonly seen = new Set<string>();
  constructor(
    private readonly h: Hash,
    private readonly cwd: string,
  ) {}

  /** Adds the path a token names, if it exists, with its contents. */
  async token(token: string, base: string, isRequirementFile: boolean): Promise<void> {
    const candidate = candidatePath(token);
    if (candidate === undefined) return;
    // pip resolves relative paths against its working directory; nested
    // requirements files against the file that names them: take both.
    for (const full of new Set([path.resolve(this.cwd, candidate), path.resolve(base, candidate)])) {
      if (this.seen.has(full)) continue;
      const st = await fsp.stat(full).catch(() => undefined);
      if (!st) continue;
      this.seen.add(full);
      if (st.isDirectory()) {
        this.h.update(`input-dir ${full}\0`);
        await hashDirectory(this.h, full, '');
      } else if (st.isFile()) {
        const bytes = await fsp.readFile(full);
        this.h.update(`input-file ${full}\0`).update(bytes).update('\0');
        if (isRequirementFile) await this.requirementFile(bytes.toString('utf8'), path.dirname(full));
      }
    }
  }

  /** Local paths named in a requirements file, on each line (options and requirements alike). */
  private async requirementFile(text: string, base: string): Promise<void> {
    for (const line of text.split('\n')) {
      const tokens = line.replace(/(^|\s)#.*$/, '').trim().split(/\s+/).filter(Boolean);
      await this.args(tokens, base);
    }
  }

  /** Every token of an argument list: `--option=value` split, requirements files followed. */
  async args(args: readonly string[], base: string): Promise<void> {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const eq = a.startsWith('-') ? a.indexOf('=') : -1;
      if (eq >= 0) await this.token(a.slice(eq + 1), base, REQUIREMENT_FILE_OPTIONS.has(a.slice(0, eq)));
      else if (/^-[rc]./.test(a)) await this.token(a.slice(2), base, true);
      else if (REQUIREMENT_FILE_OPTIONS.has(a) && i + 1 < args.length) await this.token(args[++i], base, true);
      else await this.token(a, base, false);
    }
  }
}

export interface PipKeyInput {
  distribution: PythonDistribution;
  args: readonly string[];
  extraEnv: Readonly<Record<string, string>>;
  /** pip's working directory (the config's directory). */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Hex key of a pipInstall; equal keys install the same files. */
export async function pipCacheKey(input: PipKeyInput): Promise<string> {
  const h = createHash('sha256');
  h.update(`${KEY_VERSION}\0${producerDigest()}\0${input.distribution.id}\0${input.distribution.python}\0`);
  h.update(JSON.stringify(input.args)).update('\0');
  h.update(JSON.stringify(Object.entries(input.extraEnv).sort())).update('\0');
  const pipEnv = Object.entries(input.env).filter(([k]) => k.startsWith('PIP_')).sort();
  h.update(JSON.stringify(pipEnv)).update('\0');
  await new KeyBuilder(h, input.cwd).args(input.args, input.cwd);
  return h.digest('hex').slice(0, 32);
}
