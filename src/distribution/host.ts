/**
 * The host interpreter as a distribution, derived from its sysconfig. It
 * qualifies when it has a static libpython (Debian: python3.X-dev).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { packageRoot } from '../util/paths.js';
import { runProgram } from '../util/process.js';
import { hostExtensionModules } from './host-extensions.js';
import { cachedProbe } from './probe-cache.js';
import type { ExtensionModuleInfo, PythonDistribution } from './types.js';
import { SUPPORTED_PYTHON_VERSIONS } from './supported.js';

/** The host distribution, with the facts `python-distribution-create` writes into PYTHON.json. */
export interface HostDistribution extends PythonDistribution {
  readonly probe: Probe;
}

export interface Probe {
  executable: string;
  version: string;
  versionShort: string;
  implementation: string;
  cacheTag: string;
  magic: string;
  stdlibDir: string;
  dynloadDir: string;
  includeDir: string;
  staticLibraries: string[];
  linkArgs: string[];
  extensionSuffixes: string[];
  builtinModules: string[];
  multiarch: string;
  machine: string;
  platform: string;
  hexversion: number;
  implementationVersion: string[];
  abiflags: string;
  platformTag: string;
  /** Libraries each stdlib extension module was linked with (Python 3.11+). */
  moduleLdflags: Record<string, string[]>;
}

/** Interpreters tried, in order, when none is named. */
const DEFAULT_CANDIDATES = ['python3', '/usr/bin/python3'];

/** The interpreter's description, cached (probe-cache.ts) while the interpreter, its static library and headers stay the same. */
async function probe(python: string): Promise<Probe | string> {
  const script = path.join(packageRoot, 'src/distribution/probe.py');
  return cachedProbe(
    python,
    await fsp.readFile(script, 'utf8'),
    () => runProbe(python, script),
    (p) => (typeof p === 'string' ? [] : [p.executable, ...p.staticLibraries, path.join(p.includeDir, 'Python.h')]),
    (p) => typeof p !== 'string' && p.staticLibraries.length > 0,
  );
}

async function runProbe(python: string, script: string): Promise<Probe | string> {
  let r;
  try {
    r = await runProgram(python, ['-I', '-S', script]);
  } catch (e) {
    return `cannot run ${python}: ${(e as Error).message}`;
  }
  if (r.code !== 0) {
    // Python's traceback ends with the error; a wrapper (a pyenv shim) says what is wrong first.
    const lines = r.stderr.trim().split('\n').filter((l) => l.trim());
    return `${python} failed: ${(lines.some((l) => l.startsWith('Traceback')) ? lines.at(-1) : lines[0])?.trim() ?? `exit status ${r.code}`}`;
  }
  try {
    return JSON.parse(r.stdout) as Probe;
  } catch {
    return `${python} printed no description`;
  }
}

/** `2.7.18` from `python --version` (Python 2 prints it on stderr), or undefined. */
async function versionOf(python: string): Promise<string | undefined> {
  const r = await runProgram(python, ['--version']).catch(() => undefined);
  return r ? /^Python (\d+\.\d+(?:\.\d+)?)/m.exec(`${r.stdout}\n${r.stderr}`)?.[1] : undefined;
}

function targetTriple(p: Probe): string {
  if (p.platform !== 'linux') {
    throw new OxidizeError('UNSUPPORTED_PLATFORM', `${p.executable} is a ${p.platform} interpreter; oxidize builds for Linux only`);
  }
  return `${p.machine}-unknown-linux-gnu`;
}

/**
 * The static library the stub links, and how. Debian ships two:
 * libpython3.X-pic.a, position-independent, which a PIE links, and
 * libpython3.X.a, built without -fPIC, which its own python3.X is linked
 * from, as a non-PIE executable. The stub links the latter the same way
 * (-no-pie): PIC code reaches the interpreter's globals through the GOT, and
 * the import workload ran 11% more instructions with it (966 M against 860 M).
 * Elsewhere (pyenv, python.org builds: one libpython3.X.a, built with -fPIC
 * when the build is shared) the one there is is linked into a PIE.
 */
export function staticLinkChoice(staticLibraries: readonly string[]): { library: string; args: string[] } {
  const pic = staticLibraries.find((l) => l.endsWith('-pic.a'));
  const plain = pic && staticLibraries.find((l) => path.dirname(l) === path.dirname(pic) && path.basename(l) === path.basename(pic).replace(/-pic\.a$/, '.a'));
  return plain ? { library: plain, args: ['-no-pie'] } : { library: staticLibraries[0], args: [] };
}

async function toDistribution(p: Probe): Promise<HostDistribution> {
  const { library: staticLibrary, args: linkMode } = staticLinkChoice(p.staticLibraries);
  const linkArgs = [...p.linkArgs, ...linkMode];
  const st = await fsp.stat(staticLibrary);
  const id = createHash('sha256')
    .update(JSON.stringify([p.executable, p.version, p.magic, p.includeDir, staticLibrary, st.size, st.mtimeMs, linkArgs]))
    .digest('hex')
    .slice(0, 16);
  const suffixes = [...p.extensionSuffixes].sort((a, b) => b.length - a.length);
  const licensePath = path.join(p.stdlibDir, 'LICENSE.txt');
  const hasLicense = await fsp.access(licensePath).then(() => true, () => false);
  let modules: Promise<ExtensionModuleInfo[]> | undefined;
  return {
    id,
    origin: { kind: 'host', location: p.executable },
    python: p.executable,
    pythonEnv: {},
    version: p.version,
    versionShort: p.versionShort,
    cacheTag: p.cacheTag,
    magic: p.magic,
    stdlibDir: p.stdlibDir,
    dynloadDir: p.dynloadDir,
    includeDir: p.includeDir,
    link: { staticLibrary, objects: [], args: linkArgs },
    extensionSuffixes: suffixes,
    builtinModules: p.builtinModules,
    targetTriple: targetTriple(p),
    licenses: ['Python-2.0'],
    licensePath: hasLicense ? licensePath : undefined,
    extensionModules: () => (modules ??= hostExtensionModules(p, suffixes)),
    probe: p,
  };
}

function devPackage(p: Probe): string {
  return `python${p.versionShort}-dev`;
}

/**
 * Resolves the host distribution: the named interpreter, or the first default
 * candidate that has a static libpython.
 */
export async function resolveHostDistribution(python?: string): Promise<HostDistribution> {
  const candidates = python ? [python] : DEFAULT_CANDIDATES;
  const problems: string[] = [];
  let lastProbe: Probe | undefined;
  let unsupported: string | undefined;
  for (const c of candidates) {
    const p = await probe(c);
    if (typeof p === 'string') {
      // An interpreter too old for the probe (Python 2 rejects -I) is named by its version.
      const version = await versionOf(c);
      if (version !== undefined && !(SUPPORTED_PYTHON_VERSIONS as readonly string[]).includes(version.split('.').slice(0, 2).join('.'))) {
        unsupported ??= `Python ${version} (${c}) is not supported; oxidize embeds Python ${SUPPORTED_PYTHON_VERSIONS.join(' and ')}`;
        problems.push(`${c} is Python ${version}`);
      } else problems.push(p);
      continue;
    }
    if (p.implementation !== 'cpython') {
      problems.push(`${p.executable} is ${p.implementation}, not CPython`);
      continue;
    }
    lastProbe = p;
    const headers = path.join(p.includeDir, 'Python.h');
    const hasHeaders = await fsp.access(headers).then(() => true, () => false);
    if (p.staticLibraries.length > 0 && hasHeaders) return toDistribution(p);
    problems.push(`${p.executable} has no ${hasHeaders ? 'static libpython' : 'Python.h'}`);
  }
  if (unsupported && (python || !lastProbe)) {
    throw new OxidizeError('UNSUPPORTED_PYTHON', unsupported, `use a ${SUPPORTED_PYTHON_VERSIONS.join(' or ')} interpreter (--python or \`python\` in the config) or distribution archive`);
  }
  if (lastProbe) {
    throw new OxidizeError(
      'NO_STATIC_LIBPYTHON',
      `no usable Python distribution: ${problems.join('; ')}`,
      `install the static library and headers with \`apt-get install ${devPackage(lastProbe)}\`, or name another interpreter with --python`,
    );
  }
  throw new OxidizeError(
    'NO_PYTHON',
    `no Python interpreter found: ${problems.join('; ')}`,
    python ? 'check the path given with --python or `python` in the config' : 'install one with `apt-get install python3-dev`, or name one with --python',
  );
}
