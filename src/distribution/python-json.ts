/**
 * Reads `python/PYTHON.json`, python-build-standalone's description of a
 * distribution (its "Distribution Archives" format, versions 5 to 8), into
 * the PythonDistribution interface. Paths in the file are relative to the
 * `python/` directory.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { runnableInterpreter } from './interpreter-wrapper.js';
import type { DistributionOrigin, ExtensionModuleInfo, LinkInputs, LinkLibrary, PythonDistribution } from './types.js';

/** PYTHON.json format versions this reader understands. */
export const SUPPORTED_FORMAT_VERSIONS = ['5', '6', '7', '8'];

interface JsonLink {
  name: string;
  path_static?: string | null;
  path_dynamic?: string | null;
  system?: boolean | null;
  framework?: boolean | null;
}

interface JsonExtension {
  in_core?: boolean;
  init_fn?: string | null;
  licenses?: string[] | null;
  license_paths?: string[] | null;
  license_public_domain?: boolean | null;
  links?: JsonLink[];
  objs?: string[];
  required?: boolean;
  shared_lib?: string | null;
  static_lib?: string | null;
  variant?: string;
}

/** The parts of PYTHON.json oxidize reads. */
export interface PythonJson {
  version: string;
  target_triple: string;
  python_tag: string;
  python_version: string;
  python_major_minor_version: string;
  python_implementation_cache_tag: string;
  python_implementation_name: string;
  python_paths: Record<string, string>;
  python_exe: string;
  python_suffixes: Record<string, string[]>;
  python_bytecode_magic_number: string;
  libpython_link_mode?: string;
  crt_features?: string[];
  build_info: {
    core: { objs: string[]; links: JsonLink[]; static_lib?: string | null; shared_lib?: string | null; inittab_object?: string | null };
    extensions: Record<string, JsonExtension[]>;
  };
  licenses?: string[] | null;
  license_path?: string | null;
}

function bad(file: string, what: string): OxidizeError {
  return new OxidizeError('BAD_PYTHON_JSON', `${file}: ${what}`, 'the archive is not a python-build-standalone distribution oxidize can read');
}

/** Parses and checks the fields oxidize relies on. */
export function parsePythonJson(text: string, file: string): PythonJson {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw bad(file, `not JSON (${(e as Error).message})`);
  }
  if (typeof j !== 'object' || j === null) throw bad(file, 'not a JSON object');
  const version = String(j.version ?? '');
  if (!SUPPORTED_FORMAT_VERSIONS.includes(version)) {
    throw new OxidizeError(
      'UNSUPPORTED_PYTHON_JSON',
      `${file}: format version ${JSON.stringify(j.version ?? null)} is not supported (supported: ${SUPPORTED_FORMAT_VERSIONS.join(', ')})`,
      'use a python-build-standalone release whose PYTHON.json has one of these versions',
    );
  }
  const need = (key: string, type: string) => {
    if (typeof j[key] !== type || j[key] === null) throw bad(file, `missing or invalid "${key}"`);
  };
  for (const k of ['target_triple', 'python_tag', 'python_version', 'python_major_minor_version', 'python_implementation_cache_tag', 'python_exe', 'python_bytecode_magic_number']) need(k, 'string');
  for (const k of ['python_paths', 'python_suffixes', 'build_info']) need(k, 'object');
  const p = j as unknown as PythonJson;
  if (typeof p.python_paths.stdlib !== 'string' || typeof p.python_paths.include !== 'string') throw bad(file, 'python_paths needs "stdlib" and "include"');
  if (!p.build_info.core || !Array.isArray(p.build_info.core.objs)) throw bad(file, 'build_info.core.objs is missing');
  if (p.libpython_link_mode && p.libpython_link_mode !== 'static') {
    throw new OxidizeError('SHARED_LIBPYTHON', `${file}: libpython is linked ${p.libpython_link_mode}ally in this distribution; oxidize links it statically`, 'use a python-build-standalone build whose libpython is static (the Linux gnu/musl builds)');
  }
  return p;
}

/** Resolves a path of PYTHON.json inside the extracted `python/` directory, refusing ones that leave it. */
function inside(base: string, rel: string, file: string): string {
  const full = path.resolve(base, rel);
  if (full !== base && !full.startsWith(`${base}${path.sep}`)) throw bad(file, `path ${JSON.stringify(rel)} leaves the distribution`);
  return full;
}

function toLink(base: string, l: JsonLink, file: string): LinkLibrary {
  if (l.path_static) return { name: l.name, kind: 'static', path: inside(base, l.path_static, file), system: false };
  if (l.path_dynamic) return { name: l.name, kind: 'dynamic', path: inside(base, l.path_dynamic, file), system: false };
  if (l.system) return { name: l.name, kind: 'dynamic', system: true };
  // Neither a file nor a system library: already linked into the module (libmpdec in _decimal).
  return { name: l.name, kind: 'static', system: false };
}

/** Linker arguments for libraries: static archives by path, the others by name. */
export function linkArgsFor(links: readonly LinkLibrary[]): string[] {
  const out: string[] = [];
  for (const l of links) {
    if (l.kind === 'static' && !l.path) continue;
    const a = l.kind === 'static' ? l.path! : l.system ? `-l${l.name}` : l.path!;
    if (!out.includes(a)) out.push(a);
  }
  return out;
}

export function extensionModulesOf(j: PythonJson, base: string, file: string): ExtensionModuleInfo[] {
  return Object.keys(j.build_info.extensions)
    .sort()
    .map((name) => ({
      name,
      variants: j.build_info.extensions[name].map((v) => ({
        variant: v.variant ?? 'default',
        builtin: !v.shared_lib,
        sharedLibrary: v.shared_lib ? inside(base, v.shared_lib, file) : undefined,
        links: (v.links ?? []).map((l) => toLink(base, l, file)),
        licenses: v.licenses ?? undefined,
        licensePublicDomain: v.license_public_domain === true,
      })),
    }));
}

/**
 * What the stub links: the core's static library when there is one (it
 * holds the built-in extension modules), else the core objects, each
 * built-in extension's objects and the inittab object; plus the libraries
 * of the core and of every built-in extension module's first variant.
 */
export function linkInputsOf(j: PythonJson, base: string, file: string): LinkInputs {
  const core = j.build_info.core;
  const libs: LinkLibrary[] = core.links.map((l) => toLink(base, l, file));
  const objects: string[] = [];
  const staticLibrary = core.static_lib ? inside(base, core.static_lib, file) : undefined;
  if (!staticLibrary) {
    objects.push(...core.objs.map((o) => inside(base, o, file)));
    if (core.inittab_object) objects.push(inside(base, core.inittab_object, file));
  }
  for (const name of Object.keys(j.build_info.extensions).sort()) {
    const v = j.build_info.extensions[name][0];
    if (!v || v.shared_lib) continue;
    if (!staticLibrary && !v.in_core) objects.push(...(v.objs ?? []).map((o) => inside(base, o, file)));
    libs.push(...(v.links ?? []).map((l) => toLink(base, l, file)));
  }
  if (!staticLibrary && objects.length === 0) throw bad(file, 'neither build_info.core.static_lib nor core objects are given');
  return { staticLibrary, objects, args: linkArgsFor(libs) };
}

/** The distribution an extracted archive describes (`root` holds `python/PYTHON.json`). */
export async function distributionFromExtracted(root: string, origin: DistributionOrigin, id: string): Promise<PythonDistribution> {
  const base = path.join(root, 'python');
  const file = path.join(base, 'PYTHON.json');
  const text = await fsp.readFile(file, 'utf8').catch(() => {
    throw new OxidizeError('NO_PYTHON_JSON', `${origin.location} has no python/PYTHON.json`, 'give a python-build-standalone distribution archive (a .tar.zst with python/PYTHON.json)');
  });
  const j = parsePythonJson(text, `${origin.location}: python/PYTHON.json`);
  const stdlibDir = inside(base, j.python_paths.stdlib, file);
  const modules = extensionModulesOf(j, base, file);
  const suffixes = [...(j.python_suffixes.extension ?? ['.so'])].sort((a, b) => b.length - a.length);
  const python = await runnableInterpreter(inside(base, j.python_exe, file));
  // Builds with every extension module built in ship no lib-dynload; an
  // empty one keeps "the distribution's shared extension modules" a directory.
  const dynloadDir = path.join(stdlibDir, 'lib-dynload');
  await fsp.mkdir(dynloadDir, { recursive: true });
  return {
    id,
    origin,
    python,
    pythonEnv: {},
    version: j.python_version,
    versionShort: j.python_major_minor_version,
    cacheTag: j.python_implementation_cache_tag,
    magic: j.python_bytecode_magic_number,
    stdlibDir,
    dynloadDir,
    includeDir: inside(base, j.python_paths.include, file),
    link: linkInputsOf(j, base, file),
    extensionSuffixes: suffixes,
    builtinModules: modules.filter((m) => m.variants[0]?.builtin).map((m) => m.name),
    targetTriple: j.target_triple,
    licenses: j.licenses ?? [],
    licensePath: j.license_path ? inside(base, j.license_path, file) : undefined,
    extensionModules: async () => modules,
  };
}
