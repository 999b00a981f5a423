/** What the benchmark builds and runs: fixtures, zipapps, PEX, the Mercurial session. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PythonDistribution } from '../src/distribution/types.js';
import { packageRoot } from '../src/util/paths.js';

export const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
export const CLI = path.join(packageRoot, 'bin/oxidize.js');

export function log(line: string) {
  process.stderr.write(`bench: ${line}\n`);
}

export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** The standard library modules (from the list the tests use) that import cleanly with this interpreter. */
export function importableModules(dist: PythonDistribution): string[] {
  const names = readFileSync(path.join(packageRoot, 'test/fixtures/stdlib-modules.txt'), 'utf8').split('\n').filter(Boolean);
  const probe = 'import importlib, sys\nfor n in sys.argv[1:]:\n    try:\n        importlib.import_module(n)\n        print(n)\n    except BaseException:\n        pass\n';
  return run(dist.python, ['-I', '-S', '-W', 'ignore', '-c', probe, ...names]).split('\n').filter(Boolean);
}

/** Builds targets of a fixture directory for the distribution; returns executables by name. */
export function buildFixture(dist: PythonDistribution, dir: string, targets: string[], env: Record<string, string> = {}): Map<string, string> {
  const out = run(process.execPath, [CLI, 'build', '--release', '--python', dist.python, ...targets], { cwd: dir, env: { ...process.env, CI: '1', ...env } });
  return new Map(out.trim().split('\n').map((p) => [path.basename(p), path.resolve(dir, p)]));
}

export function zipapp(dist: PythonDistribution, work: string, name: string, files: Record<string, string>, copyPackages: string[] = []): string {
  const dir = path.join(work, `${name}-zipapp`);
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, rel), text);
  for (const p of copyPackages) cpSync(path.join(DIST_PACKAGES, p), path.join(dir, p), { recursive: true });
  const target = path.join(work, `${name}.pyz`);
  run(dist.python, ['-m', 'zipapp', dir, '-o', target]);
  return target;
}

/** A PEX, when Debian's pex can build one that runs with this interpreter; else why not. */
export function tryPex(dist: PythonDistribution, work: string): string | undefined {
  if (spawnSync('pex', ['--version']).status !== 0) return 'pex is not installed (Debian package `pex`)';
  const src = path.join(work, 'pex-src');
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'noop.py'), 'pass\n');
  const pex = path.join(work, 'noop.pex');
  const built = spawnSync('pex', ['--no-pypi', '-D', src, '-m', 'noop', '-o', pex], { encoding: 'utf8' });
  if (built.status !== 0) return `Debian's pex could not build offline: ${built.stderr.trim().split('\n').pop()}`;
  const ran = spawnSync(dist.python, [pex], { encoding: 'utf8' });
  if (ran.status !== 0) {
    const version = spawnSync('pex', ['--version'], { encoding: 'utf8' }).stdout.trim();
    return `Debian's ${version} builds a PEX offline, but it fails to run under Python ${dist.version}: ${ran.stderr.trim().split('\n').pop()}`;
  }
  return undefined;
}

export const hgEnv = { HGRCPATH: '', HGPLAIN: '1', HGUSER: 'bench <bench@example.org>', LANG: 'C' };

/** A Mercurial session of 20 processes (18 hg commands) in a fresh repository. */
export function hgSession(hg: string[], repo: string): { commands: string[][]; before: string[][] } {
  const h = (...args: string[]) => [...hg, '--cwd', repo, ...args];
  const sh = (script: string) => ['/bin/sh', '-c', script];
  return {
    before: [['/bin/rm', '-rf', repo]],
    commands: [
      [...hg, 'init', repo],
      sh(`cd '${repo}' && printf 'one\\ntwo\\nthree\\n' > a.txt && printf 'bee\\n' > b.txt && mkdir d && printf 'deep\\n' > d/c.txt`),
      h('add'),
      h('status'),
      h('commit', '-m', 'first', '-d', '0 0'),
      h('log'),
      sh(`cd '${repo}' && printf 'one\\n2\\nthree\\nfour\\n' > a.txt`),
      h('status'),
      h('diff'),
      h('commit', '-m', 'second', '-d', '86400 0'),
      h('log'),
      h('status', '--all'),
      h('log', '-r', '0', '-p'),
      h('annotate', 'a.txt'),
      h('cat', '-r', '0', 'a.txt'),
      h('summary'),
      h('tip'),
      h('manifest'),
      h('diff', '-r', '0', '-r', '1'),
      h('branches'),
    ],
  };
}

export function sizeOf(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, e) => n + sizeOf(path.join(p, e)), 0);
}

