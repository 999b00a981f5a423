/**
 * Prebuilt runtime stubs: without a cached or installed stub and without
 * cargo/cc, the build fails at once naming both ways out; a stub package
 * packed from an archive of the host, `npm pack`ed and installed into a
 * project, builds there with no cargo, rustc or cc on PATH and the host's
 * static libpython hidden; an altered stub is refused in one line. The same
 * archive and stub packed as a distribution package (--with-distribution),
 * installed alone into another project, builds a config that names the
 * distribution by version only, under the same conditions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { cliPath, oxidize, projectDir, repoRoot, run } from '../helpers/cli.js';
import { toollessPath } from '../helpers/toolless-path.js';

const HOST_CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'sample', config: { runModule: 'sample' } })
          .addPythonResources(readPackageRoot('.', ['sample'])),
    },
  },
});
`;

test('with no stub and no cargo or cc, the build stops before collecting, naming the package and the system packages', () => {
  const project = projectDir({ 'pyoxidizer.config.ts': HOST_CONFIG }, 'oxidize-nostub-');
  cpSync(path.join(repoRoot, 'sample/sample'), path.join(project, 'sample'), { recursive: true });
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-empty-cache-'));
  const r = oxidize(['build'], { cwd: project, env: { PATH: toollessPath(), OXIDIZE_CACHE_DIR: cache } });
  assert.equal(r.code, 1, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error'));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0], /cargo and cc are not on PATH/);
  assert.match(errors[0], /`npm install -D @oxidize-py\/stub-[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_-]+-cp3\d+-[0-9a-f]{8}`/);
  assert.match(errors[0], /`apt-get install cargo gcc`/);
  // Nothing was collected: the failure came first.
  assert.doesNotMatch(r.stderr, /collected|compiled|Traceback|    at /);
});

const ARCHIVE_CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.PythonDistribution({ sha256: process.env.OXIDIZE_TEST_SHA256!, localPath: process.env.OXIDIZE_TEST_LOCAL! })
          .toPythonExecutable({ name: 'sample', config: { runModule: 'sample' } })
          .addPythonResources(readPackageRoot('.', ['sample'])),
    },
  },
});
`;

const VERSION_CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.PythonDistribution({ version: process.env.OXIDIZE_TEST_VERSION! })
          .toPythonExecutable({ name: 'sample', config: { runModule: 'sample' } })
          .addPythonResources(readPackageRoot('.', ['sample'])),
    },
  },
});
`;

function canUnshare(): boolean {
  return process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
}

test('an installed stub package builds without cargo, rustc, cc or the host static library; an altered one is refused', { skip: !canUnshare() && 'needs root and unshare -m' }, async () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stubpkg-e2e-'));
  const packCache = path.join(work, 'pack-cache');
  const archive = path.join(work, 'host.tar.zst');
  const created = oxidize(['python-distribution-create', '--from-host', archive], { env: { OXIDIZE_CACHE_DIR: packCache } });
  assert.equal(created.code, 0, created.stderr);
  const sha256 = /^sha256 ([0-9a-f]{64})$/m.exec(created.stdout)![1];
  const packed = oxidize(['stub', 'pack', '--distribution', archive, '--out', path.join(work, 'packages')], { env: { OXIDIZE_CACHE_DIR: packCache } });
  assert.equal(packed.code, 0, packed.stderr);
  const pkgDir = path.resolve(repoRoot, packed.stdout.trim());
  const npmPack = spawnSync('npm', ['pack', '--pack-destination', work, pkgDir], { encoding: 'utf8' });
  assert.equal(npmPack.status, 0, npmPack.stderr);
  const tarball = path.join(work, npmPack.stdout.trim().split('\n').pop()!);

  const project = projectDir({ 'pyoxidizer.config.ts': ARCHIVE_CONFIG, 'package.json': '{"name":"app","version":"1.0.0","private":true}' }, 'oxidize-stubpkg-project-');
  cpSync(path.join(repoRoot, 'sample/sample'), path.join(project, 'sample'), { recursive: true });
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);

  // The host's static library and headers hidden; a fresh cache, so no stub is cached.
  const host = await resolveHostDistribution();
  const candidates = [path.dirname(host.link.staticLibrary!), host.includeDir];
  const existing = [...new Set(candidates)].filter((p) => p && existsSync(p)).map((p) => path.resolve(p));
  const hide = existing.filter((p) => !existing.some((q) => q !== p && p.startsWith(`${q}/`)));
  const mounts = hide.map((p) => `mount -t tmpfs none '${p}'`).join(' && ');
  const toolless = toollessPath();
  // The shell mounts with the usual PATH; oxidize runs with the tool-less one.
  const buildIn = (cache: string, dir = project) =>
    spawnSync('unshare', ['-m', 'sh', '-c', `${mounts} && test ! -e '${host.link.staticLibrary}' && cd '${dir}' && PATH='${toolless}' exec node '${cliPath}' build`], {
      env: { PATH: process.env.PATH, OXIDIZE_CACHE_DIR: cache, OXIDIZE_TEST_SHA256: sha256, OXIDIZE_TEST_LOCAL: archive, OXIDIZE_TEST_VERSION: host.versionShort },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  const r = buildIn(path.join(work, 'build-cache'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /runtime stub: from package @oxidize-py\/stub-[^@\s]+@\d+\.\d+\.\d+/);
  const exe = path.resolve(project, r.stdout.trim().split('\n').pop()!);
  const ran = run(exe, ['--name', 'stub'], { cwd: os.tmpdir() });
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /^Hello, stub! \(Python 3\.\d+, imported from memory\)$/m);

  // The same archive and stub as a distribution package: packing reuses the stub built above.
  const packedDist = oxidize(['stub', 'pack', '--distribution', archive, '--with-distribution', '--out', path.join(work, 'packages')], { env: { OXIDIZE_CACHE_DIR: packCache } });
  assert.equal(packedDist.code, 0, packedDist.stderr);
  assert.doesNotMatch(packedDist.stderr, /building the runtime stub/);
  const distPkgDir = path.resolve(repoRoot, packedDist.stdout.trim());
  const distPkgName = `@oxidize-py/${path.basename(distPkgDir)}`;
  assert.equal(distPkgName, `@oxidize-py/python-${host.targetTriple}-cp${host.versionShort.replace('.', '')}`);
  const npmPackDist = spawnSync('npm', ['pack', '--pack-destination', work, distPkgDir], { encoding: 'utf8' });
  assert.equal(npmPackDist.status, 0, npmPackDist.stderr);
  const distTarball = path.join(work, npmPackDist.stdout.trim().split('\n').pop()!);
  const versionProject = projectDir({ 'pyoxidizer.config.ts': VERSION_CONFIG, 'package.json': '{"name":"app2","version":"1.0.0","private":true}' }, 'oxidize-distpkg-project-');
  cpSync(path.join(repoRoot, 'sample/sample'), path.join(versionProject, 'sample'), { recursive: true });
  // Not installed yet: one line naming the package to install, before any other work.
  const none = oxidize(['build'], { cwd: versionProject, env: { OXIDIZE_CACHE_DIR: path.join(work, 'none-cache'), OXIDIZE_TEST_VERSION: host.versionShort } });
  assert.equal(none.code, 1, none.stderr);
  const noneErrors = none.stderr.split('\n').filter((l) => l.startsWith('oxidize: error'));
  assert.equal(noneErrors.length, 1, none.stderr);
  assert.ok(noneErrors[0].includes(`no installed package holds a Python ${host.versionShort} distribution for ${host.targetTriple}; install it with \`npm install -D ${distPkgName}@`), noneErrors[0]);
  assert.doesNotMatch(none.stderr, /collected|    at /);
  const installDist = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', distTarball], { cwd: versionProject, encoding: 'utf8' });
  assert.equal(installDist.status, 0, installDist.stderr);
  // The first build's cache keeps its compiled bytecode; its stub and extracted distribution go.
  const buildCache = path.join(work, 'build-cache');
  for (const d of ['stubs', 'distributions']) rmSync(path.join(buildCache, d), { recursive: true, force: true });
  const byVersion = buildIn(buildCache, versionProject);
  assert.equal(byVersion.status, 0, byVersion.stderr);
  assert.match(byVersion.stderr, new RegExp(`python: Python ${host.versionShort.replace('.', '\\.')}\\.\\d+ \\(${host.targetTriple}\\) from package ${distPkgName}@\\d+\\.\\d+\\.\\d+ \\(sha256 ${sha256}\\)`));
  assert.match(byVersion.stderr, new RegExp(`runtime stub: from package ${distPkgName}@`));
  const exe2 = path.resolve(versionProject, byVersion.stdout.trim().split('\n').pop()!);
  const ran2 = run(exe2, ['--name', 'version'], { cwd: os.tmpdir() });
  assert.equal(ran2.code, 0, ran2.stderr);
  assert.match(ran2.stdout, /^Hello, version! \(Python 3\.\d+, imported from memory\)$/m);

  // One byte more in the installed stub: refused, in one line, before anything is built.
  const installed = path.join(project, 'node_modules', '@oxidize-py', path.basename(pkgDir), 'oxidize-stub');
  appendFileSync(installed, 'x');
  const altered = buildIn(path.join(work, 'altered-cache'));
  assert.equal(altered.status, 1, altered.stderr);
  const errors = altered.stderr.split('\n').filter((l) => l.startsWith('oxidize: error'));
  assert.equal(errors.length, 1, altered.stderr);
  assert.match(errors[0], /stub package @oxidize-py\/stub-.+ has sha256 [0-9a-f]{64}, its manifest says [0-9a-f]{64}/);
  assert.doesNotMatch(altered.stderr, /collected|    at /);
  rmSync(work, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
  rmSync(versionProject, { recursive: true, force: true });
});
