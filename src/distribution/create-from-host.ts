/**
 * `python-distribution-create --from-host`: writes the host interpreter as a
 * python-build-standalone style archive (python/PYTHON.json, format 8), so
 * a machine without python3-dev can build from it and the archive path is
 * exercised where real releases cannot be downloaded.
 *
 * Layout (paths relative to python/):
 *   install/bin/python3.X           the interpreter (compiles bytecode)
 *   install/lib/libpython3.X.so.*   its shared libpython, when it has one
 *   install/lib/python3.X/          the standard library and lib-dynload,
 *                                   without site-packages, __pycache__, the
 *                                   config-* directory and the `test` package
 *   install/include/python3.X/      the headers (Debian's multiarch pyconfig.h resolved)
 *   build/lib/libpython3.X.a        the static library the stub links
 *   licenses/LICENSE.txt            Python's licence
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { temporaryPath } from '../util/fs.js';
import { writeError } from '../util/fs-errors.js';
import { trackTemporary } from '../util/interrupt.js';
import { compressFrames } from './archive/zstd-frames.js';
import { tarStream, type TarEntry } from './archive/tar-writer.js';
import { readElfNeeds, requiredGlibc } from './elf.js';
import type { HostDistribution } from './host.js';
import type { LinkLibrary } from './types.js';

/** Directories of the stdlib tree that are not copied (relative to it). */
function skipped(rel: string): boolean {
  const top = rel.split('/')[0];
  return top === 'site-packages' || top === 'dist-packages' || top === 'lib-dynload' || top === 'test' || top.startsWith('config-') || rel.split('/').includes('__pycache__');
}

/** Files under `dir` (following symbolic links to files, not to directories), sorted. */
async function walk(dir: string, rel = ''): Promise<Array<{ rel: string; full: string; size: number; mode: number }>> {
  const out: Array<{ rel: string; full: string; size: number; mode: number }> = [];
  const names = (await fsp.readdir(path.join(dir, rel))).sort();
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    if (skipped(r)) continue;
    const full = path.join(dir, r);
    const lst = await fsp.lstat(full);
    if (lst.isDirectory()) {
      out.push(...(await walk(dir, r)));
      continue;
    }
    const st = lst.isSymbolicLink() ? await fsp.stat(full).catch(() => undefined) : lst;
    if (st?.isFile()) out.push({ rel: r, full, size: st.size, mode: st.mode & 0o755 });
  }
  return out;
}

function fileEntry(p: string, full: string, size: number, mode = 0o644): TarEntry {
  return { type: 'File', path: p, source: full, size, mode };
}

async function fileAt(p: string, full: string, mode?: number): Promise<TarEntry> {
  const st = await fsp.stat(full);
  return fileEntry(p, full, st.size, mode ?? (st.mode & 0o755));
}

/** Debian's pyconfig.h only includes the multiarch one; the archive needs the real file. */
async function pyconfig(d: HostDistribution): Promise<string> {
  const wrapper = path.join(d.includeDir, 'pyconfig.h');
  const { multiarch } = d.probe;
  if (!multiarch) return wrapper;
  const real = path.join(path.dirname(d.includeDir), multiarch, path.basename(d.includeDir), 'pyconfig.h');
  const text = await fsp.readFile(wrapper, 'utf8');
  return text.includes(`<${multiarch}/${path.basename(d.includeDir)}/pyconfig.h>`) && (await fsp.access(real).then(() => true, () => false)) ? real : wrapper;
}

function linkJson(l: LinkLibrary): Record<string, unknown> {
  // A library linked statically into a shared extension module has nothing
  // left to link: neither a path nor `system`.
  return l.system ? { name: l.name, system: true } : { name: l.name };
}

export interface CreatedArchive {
  readonly path: string;
  readonly bytes: number;
  readonly files: number;
}

export async function createArchiveFromHost(d: HostDistribution, out: string, level = 6): Promise<CreatedArchive> {
  const p = d.probe;
  const ver = d.versionShort;
  // The position-independent library where there are two (Debian): an archive's stub links a PIE.
  const staticLibrary = p.staticLibraries.find((l) => l.endsWith('-pic.a')) ?? d.link.staticLibrary;
  if (!staticLibrary) throw new OxidizeError('NO_STATIC_LIBPYTHON', `${d.python} has no static libpython`, `install it with \`apt-get install python${ver}-dev\``);
  const stdlibRel = `install/lib/python${ver}`;
  const includeRel = `install/include/${path.basename(d.includeDir)}`;
  const exeRel = `install/bin/python${ver}`;
  const libRel = `build/lib/${path.basename(staticLibrary)}`;

  const entries: TarEntry[] = [];
  const add = (e: TarEntry) => entries.push({ ...e, path: `python/${e.path}` });
  add(await fileAt(exeRel, d.python, 0o755));
  add({ type: 'SymbolicLink', path: 'install/bin/python3', linkpath: path.basename(exeRel) });
  // An interpreter built with --enable-shared (pyenv) needs its libpython.so next to it.
  const exeNeeds = await readElfNeeds(d.python);
  for (const so of exeNeeds?.libraries.filter((l) => l.startsWith('libpython')) ?? []) {
    const candidate = path.join(path.dirname(path.dirname(d.python)), 'lib', so);
    if (await fsp.access(candidate).then(() => true, () => false)) add(await fileAt(`install/lib/${so}`, candidate, 0o755));
  }
  for (const f of await walk(d.stdlibDir)) add(fileEntry(`${stdlibRel}/${f.rel}`, f.full, f.size, f.mode));
  const dynload = await walk(d.dynloadDir).catch(() => []);
  for (const f of dynload) add(fileEntry(`${stdlibRel}/lib-dynload/${f.rel}`, f.full, f.size, f.mode));
  for (const f of await walk(d.includeDir)) {
    add(f.rel === 'pyconfig.h' ? await fileAt(`${includeRel}/pyconfig.h`, await pyconfig(d), 0o644) : fileEntry(`${includeRel}/${f.rel}`, f.full, f.size, 0o644));
  }
  add(await fileAt(libRel, staticLibrary, 0o644));
  if (d.licensePath) add(await fileAt('licenses/LICENSE.txt', d.licensePath, 0o644));

  const modules = await d.extensionModules();
  const extensions: Record<string, unknown[]> = {};
  for (const m of modules) {
    extensions[m.name] = m.variants.map((v) => ({
      in_core: v.builtin,
      init_fn: `PyInit_${m.name}`,
      licenses: v.licenses ?? null,
      license_paths: null,
      license_public_domain: v.licensePublicDomain,
      links: v.links.map(linkJson),
      objs: [],
      required: false,
      shared_lib: v.sharedLibrary ? `${stdlibRel}/lib-dynload/${path.basename(v.sharedLibrary)}` : null,
      static_lib: null,
      variant: v.variant,
    }));
  }
  const glibc = exeNeeds ? requiredGlibc(exeNeeds) : undefined;
  const abi = `cp${ver.replace('.', '')}${p.abiflags}`;
  const pythonJson = {
    version: '8',
    target_triple: d.targetTriple,
    optimizations: 'host',
    python_tag: `cp${ver.replace('.', '')}`,
    python_abi_tag: abi,
    python_platform_tag: p.platformTag,
    python_implementation_cache_tag: d.cacheTag,
    python_implementation_hex_version: p.hexversion,
    python_implementation_name: p.implementation,
    python_implementation_version: p.implementationVersion,
    python_version: d.version,
    python_major_minor_version: ver,
    python_paths: { include: includeRel, platinclude: includeRel, stdlib: stdlibRel, platstdlib: stdlibRel, purelib: `${stdlibRel}/site-packages`, platlib: `${stdlibRel}/site-packages` },
    python_exe: exeRel,
    python_stdlib_test_packages: [],
    python_suffixes: { bytecode: ['.pyc'], debug_bytecode: ['.pyc'], optimized_bytecode: ['.pyc'], source: ['.py'], extension: [...d.extensionSuffixes] },
    python_bytecode_magic_number: d.magic,
    python_symbol_visibility: 'global-default',
    python_extension_module_loading: ['builtin', 'shared-library'],
    libpython_link_mode: 'static',
    crt_features: ['glibc-dynamic', ...(glibc ? [`glibc-max-symbol-version:${glibc}`] : [])],
    run_tests: null,
    build_info: {
      core: {
        objs: [],
        links: d.link.args.filter((a) => a.startsWith('-l')).map((a) => ({ name: a.slice(2), system: true })),
        shared_lib: null,
        static_lib: libRel,
      },
      extensions,
      object_file_format: 'elf',
    },
    licenses: d.licenses,
    license_path: d.licensePath ? 'licenses/LICENSE.txt' : null,
    tcl_library_path: null,
  };
  entries.unshift({ type: 'File', path: 'python/PYTHON.json', data: Buffer.from(`${JSON.stringify(pythonJson, null, 2)}\n`), mode: 0o644 });

  const target = path.resolve(out);
  await fsp.mkdir(path.dirname(target), { recursive: true }).catch((e: unknown) => {
    throw writeError(target, e);
  });
  const tmp = temporaryPath(target);
  const untrack = trackTemporary(tmp);
  let bytes = 0;
  try {
    // Frame by frame through a file handle: a failed write (a full disk) throws here, and the
    // temporary is removed (a write stream's error came while the loop waited for 'drain': a crash).
    const fh = await fsp.open(tmp, 'w', 0o644);
    try {
      for await (const frame of compressFrames(tarStream(entries), level)) {
        bytes += frame.length;
        await fh.write(frame);
      }
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw writeError(target, e);
  } finally {
    untrack();
  }
  return { path: target, bytes, files: entries.length };
}
