/**
 * `npm run bench`: builds what it measures, then measures start-up, imports,
 * real applications and build time beside the interpreters they replace,
 * zipapp and PEX, and writes bench/results/<date>.md with an SVG chart. The
 * README's summary is rewritten from the same figures.
 *
 * OXIDIZE_BENCH_PYTHON picks the first interpreter (default: as `oxidize build`);
 * OXIDIZE_BENCH_SECOND_PYTHON a second one measured for start-up and imports
 * (default: /usr/bin/python3.11 when it is another interpreter);
 * OXIDIZE_BENCH_QUICK=1 runs fewer rounds (for trying the benchmark out).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveHostDistribution } from '../src/distribution/host.js';
import type { PythonDistribution } from '../src/distribution/types.js';
import { packageRoot } from '../src/util/paths.js';
import { haveCallgrind, instructions, instructionsIn } from './callgrind.js';
import { buildFixture, CLI, DIST_PACKAGES, hgEnv, hgSession, importableModules, log, run, sizeOf, tryPex, zipapp } from './fixtures.js';
import { measure, type Measured, type Variant } from './measure.js';
import { memorySplit } from './memory.js';
import { instructionRatio, markdown, speedup, svgChart, type BuildResult, type Report, type Target, type WorkloadResult } from './report.js';

const QUICK = process.env.OXIDIZE_BENCH_QUICK === '1';
const rounds = (n: number) => (QUICK ? Math.max(3, Math.round(n / 5)) : n);
const LIMIT = path.join(packageRoot, 'bench/limit.py');
const counting = haveCallgrind();

// Python's defaults, not this machine's PYTHON* variables (unbuffered output, say), for every run.
for (const k of Object.keys(process.env)) if (k.startsWith('PYTHON')) delete process.env[k];

function workload(title: string, description: string, baseline: string, results: Measured[], notes: string[] = []): WorkloadResult {
  return { title, description, baseline, results, notes };
}

const byName = (results: Measured[], name: string) => results.find((r) => r.name === name)!;

/** Counts instructions of the named variants (their first command). */
function count(results: Measured[], variants: Variant[], names: string[]) {
  if (!counting) return;
  for (const name of names) {
    const v = variants.find((x) => x.name === name)!;
    log(`counting instructions: ${name}`);
    byName(results, name).instructions = instructions({ argv: v.commands[0], env: v.env, cwd: v.cwd });
  }
}

/** Traces memory at exit of the named variants (their first command). */
function trace(python: string, results: Measured[], variants: Variant[], names: string[]) {
  const split = memorySplit(
    python,
    names.map((name) => {
      const v = variants.find((x) => x.name === name)!;
      return { name, argv: v.commands[0], env: v.env, cwd: v.cwd };
    }),
  );
  for (const name of names) byName(results, name).memory = split.get(name);
}

const ratioTarget = (name: string, value: number, goal: number, what = '×'): Target => ({
  name,
  value: Number.isNaN(value) ? 'not measured' : `${value.toFixed(2)}${what}`,
  met: value >= goal,
  detail: Number.isNaN(value) ? 'not measured' : `${((goal / value - 1) * 100).toFixed(0)}% short of ${goal}×`,
});

interface Interpreter {
  dist: PythonDistribution;
  label: string;
  /** Also measure the applications (pyflakes, Mercurial) and the build. */
  full: boolean;
}

/** Start-up, imports and (for the first interpreter) applications, measured against this interpreter. */
function measureInterpreter(it: Interpreter, index: number, work: string, targets: Target[], notes: string[]): WorkloadResult[] {
  const { dist, label } = it;
  const py = dist.python;
  const fixture = path.join(work, `fixture-${index}`);
  cpSync(path.join(packageRoot, 'bench/fixture'), fixture, { recursive: true });
  const modules = importableModules(dist);
  const importScript = modules.map((m) => `import ${m}\n`).join('');
  writeFileSync(path.join(fixture, 'app/import_all.py'), importScript);
  const script = path.join(work, `import_all-${index}.py`);
  writeFileSync(script, importScript);
  log(`${label}: ${modules.length} standard library modules import cleanly`);

  const haveApps = it.full && existsSync(path.join(DIST_PACKAGES, 'pyflakes')) && existsSync(path.join(DIST_PACKAGES, 'mercurial'));
  const names = ['noop', 'import', ...(haveApps ? ['pyflakes', 'hg'] : [])];
  const targetNames = [...names.flatMap((n) => [`${n}-memory`, `${n}-files`, `${n}-fast`]), ...(it.full ? ['open-view', 'open-noview'] : [])];
  log(`${label}: building ${targetNames.join(', ')}`);
  const exes = buildFixture(dist, fixture, targetNames);
  const exe = (name: string) => exes.get(name)!;
  const out: WorkloadResult[] = [];

  const noopPyz = zipapp(dist, work, `noop-${index}`, { '__main__.py': 'pass\n' });
  const importPyz = zipapp(dist, work, `import-${index}`, { '__main__.py': importScript });
  const pexProblem = it.full ? tryPex(dist, path.join(work, `pex-${index}`)) : 'measured with the first interpreter only';

  log(`${label}: measuring start-up`);
  const noop: Variant[] = [
    { name: 'python3 -S -I -c pass', commands: [[py, '-S', '-I', '-c', 'pass']] },
    { name: 'python3 -S -c pass', commands: [[py, '-S', '-c', 'pass']] },
    { name: 'python3 -c pass', commands: [[py, '-c', 'pass']] },
    { name: 'oxidize, in memory', commands: [[exe('noop-memory')]] },
    { name: 'oxidize, files', commands: [[exe('noop-files')]] },
    { name: 'oxidize, in memory, fastExit', commands: [[exe('noop-fast')]] },
    { name: 'zipapp (python3 -S)', commands: [[py, '-S', noopPyz]] },
  ];
  if (!pexProblem) noop.push({ name: 'PEX (python3)', commands: [[py, path.join(work, `pex-${index}`, 'noop.pex')]] });
  const startup = measure(py, noop, rounds(40), 3);
  count(startup, noop, ['python3 -S -I -c pass', 'python3 -S -c pass', 'oxidize, in memory', 'oxidize, files', 'oxidize, in memory, fastExit']);
  trace(py, startup, noop, ['python3 -S -I -c pass', 'oxidize, in memory', 'oxidize, files', 'oxidize, in memory, fastExit']);
  const startupW = workload(`Start-up, ${label}`, 'A program that does nothing (`pass`).', 'python3 -S -I -c pass', startup, it.full && pexProblem ? [`PEX: not measured. ${pexProblem}.`] : []);
  out.push(startupW);
  const sm = byName(startup, 'oxidize, in memory');
  targets.push({
    ...ratioTarget(`${label}: no-op start-up no slower than \`python3 -S -I -c pass\` (wall)`, speedup(startupW, sm), 1),
    value: `${speedup(startupW, sm).toFixed(2)}× (${sm.wall.median.toFixed(2)} ms; instructions ${instructionRatio(startupW, sm).toFixed(2)}×)`,
  });

  log(`${label}: measuring imports`);
  const table = path.join(work, `limit-${index}.marshal`);
  run(py, ['-S', '-W', 'ignore', LIMIT, 'prepare', script, table]);
  const quiet = { PYTHONWARNINGS: 'ignore' };
  const imports: Variant[] = [
    { name: 'python3 -S', commands: [[py, '-S', '-W', 'ignore', script]] },
    { name: 'python3', commands: [[py, '-W', 'ignore', script]] },
    { name: 'oxidize, in memory', commands: [[exe('import-memory')]], env: quiet },
    { name: 'oxidize, files', commands: [[exe('import-files')]], env: quiet },
    { name: 'oxidize, in memory, fastExit', commands: [[exe('import-fast')]], env: quiet },
    { name: 'zipapp (python3 -S)', commands: [[py, '-S', '-W', 'ignore', importPyz]] },
    { name: 'limit: load', commands: [[py, '-S', '-W', 'ignore', LIMIT, 'load', table, script]] },
    { name: 'limit: run', commands: [[py, '-S', '-W', 'ignore', LIMIT, 'run', table, script]] },
  ];
  const measured = measure(py, imports, rounds(20), 2);
  count(measured, imports, ['python3 -S', 'oxidize, in memory', 'oxidize, files', 'oxidize, in memory, fastExit', 'limit: load', 'limit: run']);
  trace(py, measured, imports, ['python3 -S', 'oxidize, in memory', 'oxidize, files', 'oxidize, in memory, fastExit']);
  // The limit: start-up plus executing the modules, with finding and loading free.
  const load = byName(measured, 'limit: load');
  const ran = byName(measured, 'limit: run');
  const base = byName(startup, 'python3 -S -I -c pass');
  const limitWall = ran.wall.median - load.wall.median + base.wall.median;
  const limit: Measured = {
    name: 'limit: modules executed from code objects in memory',
    wall: { n: 0, median: limitWall, p25: NaN, p75: NaN, min: NaN },
    rssMb: NaN,
    instructions: ran.instructions !== undefined && load.instructions !== undefined && base.instructions !== undefined ? ran.instructions - load.instructions + base.instructions : undefined,
    derived:
      '`python3 -S -I -c pass` plus (`limit.py run` − `limit.py load`): `bench/limit.py` unmarshals every module the script imports from source into a dict first, then imports them through a finder that hands out those code objects (`run`) or stops (`load`); the difference is the cost of executing the modules, which no importer avoids. Wall figures of this row are differences of medians.',
  };
  const importsW = workload(
    `Import, ${label}`,
    `A script importing ${modules.length} standard library modules (the list in \`test/fixtures/stdlib-modules.txt\`, less those this interpreter cannot import).`,
    'python3 -S',
    [...measured.filter((m) => !m.name.startsWith('limit: ')), limit],
  );
  out.push(importsW);
  const im = byName(measured, 'oxidize, in memory');
  const fast = byName(measured, 'oxidize, in memory, fastExit');
  targets.push(ratioTarget(`${label}: import workload, default executable: ≥ 1.15× fewer instructions than \`python3 -S\``, instructionRatio(importsW, im), 1.15));
  targets.push(ratioTarget(`${label}: import workload, default executable: ≥ 1.15× faster (wall) than \`python3 -S\``, speedup(importsW, im), 1.15));
  targets.push(ratioTarget(`${label}: import workload with fastExit: ≥ 1.45× faster (wall) than \`python3 -S\``, speedup(importsW, fast), 1.45));
  if (limit.instructions && im.instructions) {
    notes.push(
      `${label}: the default executable runs the import workload in ${(im.instructions / 1e6).toFixed(0)} M instructions, ${(im.instructions / limit.instructions).toFixed(2)}× the limit (${(limit.instructions / 1e6).toFixed(0)} M); with fastExit ${((fast.instructions ?? NaN) / 1e6).toFixed(0)} M.`,
    );
  }

  if (it.full) out.push(measureFileView(dist, exe, work, targets, label));
  if (haveApps) out.push(...measureApplications(dist, exe, work, index, targets, label));
  return out;
}

/** The file view's guards on files outside the executable: an open-heavy loop with the view on and off, and in python3. */
function measureFileView(dist: PythonDistribution, exe: (n: string) => string, work: string, targets: Target[], label: string): WorkloadResult {
  log(`${label}: measuring the file view on an open-heavy loop`);
  const py = dist.python;
  const file = path.join(work, 'open-loop.txt');
  writeFileSync(file, 'x'.repeat(4096));
  const script = path.join(packageRoot, 'bench/fixture/app/open_loop.py');
  const variants: Variant[] = [
    { name: 'python3 -S', commands: [[py, '-S', script, file]] },
    { name: 'oxidize, in memory (file view on, the default)', commands: [[exe('open-view'), file]] },
    { name: 'oxidize, in memory, inMemoryFileView: false', commands: [[exe('open-noview'), file]] },
  ];
  const results = measure(py, variants, rounds(15), 2);
  count(results, variants, variants.map((v) => v.name));
  const w = workload(
    `File access outside the executable, ${label}`,
    'A loop opening, reading and closing a 4 KiB file in the temporary directory and calling `os.stat` on it, 100,000 times (`bench/fixture/app/open_loop.py`). In an executable `open` and `os.stat` are the file view\'s guards, which check the path in C and call the original function for any path not under the executable; `inMemoryFileView: false` leaves them out.',
    'python3 -S',
    results,
  );
  const on = byName(results, variants[1].name);
  const off = byName(results, variants[2].name);
  const extra = on.instructions && off.instructions ? (on.instructions / off.instructions - 1) * 100 : NaN;
  const wall = (on.wall.median / off.wall.median - 1) * 100;
  const spread = ((off.wall.p75 - off.wall.p25) / off.wall.median) * 100;
  targets.push({
    name: `${label}: the file view costs an open-heavy loop outside the executable next to nothing (instructions within 1% of \`inMemoryFileView: false\`)`,
    value: Number.isNaN(extra) ? `wall ${wall >= 0 ? '+' : ''}${wall.toFixed(1)}% (p25–p75 spread ${spread.toFixed(1)}%)` : `instructions ${extra >= 0 ? '+' : ''}${extra.toFixed(2)}%, wall ${wall >= 0 ? '+' : ''}${wall.toFixed(1)}% (p25–p75 spread ${spread.toFixed(1)}%)`,
    met: Number.isNaN(extra) ? Math.abs(wall) <= spread : extra <= 1,
    detail: Number.isNaN(extra) ? `wall ${wall.toFixed(1)}%` : `${extra.toFixed(2)}% more instructions`,
  });
  return w;
}

function measureApplications(dist: PythonDistribution, exe: (n: string) => string, work: string, index: number, targets: Target[], label: string): WorkloadResult[] {
  const py = dist.python;
  log(`${label}: measuring pyflakes`);
  const target = path.join(work, 'ftplib.py');
  cpSync(path.join(dist.stdlibDir, 'ftplib.py'), target);
  const pyflakesPyz = zipapp(dist, work, `pyflakes-${index}`, { '__main__.py': 'from pyflakes.api import main\nmain(prog="pyflakes")\n' }, ['pyflakes']);
  const pyflakes: Variant[] = [
    { name: 'python3 -m pyflakes', commands: [[py, '-m', 'pyflakes', target]], env: { PYTHONPATH: DIST_PACKAGES } },
    { name: 'oxidize, in memory', commands: [[exe('pyflakes-memory'), target]] },
    { name: 'oxidize, files', commands: [[exe('pyflakes-files'), target]] },
    { name: 'oxidize, in memory, fastExit', commands: [[exe('pyflakes-fast'), target]] },
    { name: 'zipapp (python3)', commands: [[py, pyflakesPyz, target]] },
  ];
  // pyflakes exits 1 when it reports something; the outputs must agree.
  const outputs = pyflakes.map((v) => spawnSync(v.commands[0][0], v.commands[0].slice(1), { encoding: 'utf8', env: { ...process.env, ...v.env } }).stdout);
  if (new Set(outputs).size !== 1) throw new Error(`pyflakes variants disagree:\n${outputs.join('\n---\n')}`);
  for (const v of pyflakes) v.allow_failure = true;
  const lines = readFileSync(target, 'utf8').split('\n').length;
  const flakes = workload(`pyflakes, ${label}`, `pyflakes checking \`ftplib.py\` (${lines} lines) of the standard library.`, 'python3 -m pyflakes', measure(py, pyflakes, rounds(20), 2));

  log(`${label}: measuring Mercurial`);
  const hgVariants: Variant[] = [
    { name: 'python3 /usr/bin/hg', ...hgSession([py, '/usr/bin/hg'], path.join(work, 'repo-system')), env: { ...hgEnv, PYTHONPATH: DIST_PACKAGES } },
    { name: 'oxidize, in memory', ...hgSession([exe('hg-memory')], path.join(work, 'repo-memory')), env: hgEnv },
    { name: 'oxidize, files', ...hgSession([exe('hg-files')], path.join(work, 'repo-files')), env: hgEnv },
    { name: 'oxidize, in memory, fastExit', ...hgSession([exe('hg-fast')], path.join(work, 'repo-fast')), env: hgEnv },
  ];
  const hg = workload(
    `Mercurial session, ${label}`,
    'A session of 20 processes in a fresh repository: `hg init`, `add`, `status`, `commit`, `log`, `diff`, `annotate`, `cat`, `summary`, `tip`, `manifest`, `branches` (18 hg commands, 2 shell commands editing files).',
    'python3 /usr/bin/hg',
    measure(py, hgVariants, rounds(8), 1),
    ['A zipapp of Mercurial is not measured: its C extensions cannot be imported from a zip file.'],
  );
  targets.push(ratioTarget(`${label}: Mercurial session with fastExit: ≥ 1.35× faster (wall) than \`python3 /usr/bin/hg\``, speedup(hg, byName(hg.results, 'oxidize, in memory, fastExit')), 1.35));
  return [flakes, hg];
}

/** Share of the import workload's instructions spent checking checksums, with a stub that keeps its symbols. */
function verificationShare(dist: PythonDistribution, work: string, targets: Target[], notes: string[]) {
  if (!counting) {
    targets.push({ name: 'blob verification ≤ 0.5% of the import workload\'s instructions', value: 'not measured', met: false, detail: 'valgrind is not installed' });
    return;
  }
  log('building a stub with symbols to attribute instructions to the checksum');
  const dir = path.join(work, 'fixture-symbols');
  cpSync(path.join(work, 'fixture-0'), dir, { recursive: true, filter: (p) => !p.includes(`${path.sep}build`) });
  const exes = buildFixture(dist, dir, ['import-memory'], { OXIDIZE_CACHE_DIR: path.join(work, 'symbols-cache'), CARGO_PROFILE_RELEASE_STRIP: 'none' });
  const { total, inside } = instructionsIn({ argv: [exes.get('import-memory')!], env: { PYTHONWARNINGS: 'ignore' } }, /^oxidize_runtime::hash::crc32c$/);
  const share = (inside / total) * 100;
  targets.push({
    name: 'blob verification ≤ 0.5% of the import workload\'s instructions',
    value: `${share.toFixed(2)}% (${(inside / 1e6).toFixed(2)} M of ${(total / 1e6).toFixed(0)} M)`,
    met: share <= 0.5,
    detail: `${share.toFixed(2)}%`,
  });
  notes.push('Checksum share: the same import executable built with a stub that keeps its symbols (`CARGO_PROFILE_RELEASE_STRIP=none`, identical code), instructions inside `crc32c` (every blob and the metadata) over all, from callgrind.');
}

function measureBuilds(dist: PythonDistribution, work: string, targets: Target[], notes: string[]): BuildResult[] {
  log('measuring builds');
  const py = dist.python;
  const sample = path.join(work, 'sample');
  cpSync(path.join(packageRoot, 'sample'), path.join(sample, 'sample'), { recursive: true });
  cpSync(path.join(packageRoot, 'pyoxidizer.config.ts'), path.join(sample, 'pyoxidizer.config.ts'));
  const withPip = path.join(work, 'sample-pip');
  cpSync(path.join(packageRoot, 'sample'), path.join(withPip, 'sample'), { recursive: true });
  writeFileSync(
    path.join(withPip, 'pyoxidizer.config.ts'),
    `import { pipInstall } from 'oxidize-py';\n${readFileSync(path.join(packageRoot, 'pyoxidizer.config.ts'), 'utf8')}`.replace("exe.addPythonResources(readPackageRoot('sample', ['sample']));", "exe.addPythonResources(readPackageRoot('sample', ['sample']));\n        exe.addPythonResources(pipInstall(['--no-index', '--find-links', '/usr/share/python-wheels', 'wheel']));"),
  );
  if (!readFileSync(path.join(withPip, 'pyoxidizer.config.ts'), 'utf8').includes('pipInstall([')) throw new Error('could not add pipInstall to the sample config');
  const coldCache = path.join(work, 'cold-cache');
  const build: Variant = { name: 'build', commands: [[process.execPath, CLI, 'build', '--python', py]], cwd: sample, env: { CI: '1' } };
  // A first build with pip fills its cache, as a user's first build does.
  run(process.execPath, [CLI, 'build', '--python', py], { cwd: withPip, env: { ...process.env, CI: '1' } });
  const builds: BuildResult[] = [];
  try {
    builds.push({
      name: 'cold',
      description: 'empty cache: builds the runtime stub with cargo (optimized), compiles all bytecode',
      measured: measure(py, [{ ...build, name: 'cold', env: { CI: '1', OXIDIZE_CACHE_DIR: coldCache }, before: [['/bin/rm', '-rf', coldCache]] }], 1, 0)[0],
    });
  } catch (e) {
    notes.push(`The cold build failed in this run, so it has no row: ${(e as Error).message.split('\n').filter((l) => /Error|error/.test(l)).slice(0, 2).join(' ')}`);
  }
  builds.push(
    ...measure(
      py,
      [
        { ...build, name: 'warm' },
        { ...build, name: 'changed', before: [['/bin/sh', '-c', `echo "# $(date +%s%N)" >> '${path.join(sample, 'sample/greeting.py')}'`]] },
        { ...build, name: 'pip', cwd: withPip },
      ],
      rounds(10),
      1,
    ).map((measured, i) => ({
      name: ['warm', 'one module changed', 'warm with pipInstall'][i],
      description: ['stub cached, nothing changed', 'after editing `sample/greeting.py`', 'the sample plus `pipInstall` of a wheel (its result cached)'][i],
      measured,
    })),
  );
  const warm = builds.find((b) => b.name === 'warm')!.measured.wall.median;
  const pip = builds.find((b) => b.name === 'warm with pipInstall')!.measured.wall.median;
  targets.push({ name: 'warm build < 0.8 s', value: `${(warm / 1000).toFixed(2)} s`, met: warm < 800, detail: `${(warm - 800).toFixed(0)} ms over` });
  targets.push({ name: 'warm build with `pipInstall` < 1 s', value: `${(pip / 1000).toFixed(2)} s`, met: pip < 1000, detail: `${(pip - 1000).toFixed(0)} ms over` });
  return builds;
}

function machine(interpreters: Interpreter[]): string[] {
  const cpus = os.cpus();
  return [
    `${cpus.length} cores, ${cpus[0]?.model ?? 'unknown CPU'}; load average at the start ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} (other jobs share the machine)`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, Linux ${os.release()}`,
    `Node.js ${process.version}`,
    ...interpreters.map(
      (i) => `${i.label}: \`${path.basename(i.dist.python)}\`, linked into the executables from ${i.dist.link.staticLibrary ? path.basename(i.dist.link.staticLibrary) : 'its core objects'}; it is both the distribution of the executables and the interpreter they are compared with`,
    ),
  ];
}

async function interpreters(): Promise<{ list: Interpreter[]; notes: string[] }> {
  const first = await resolveHostDistribution(process.env.OXIDIZE_BENCH_PYTHON);
  const label = (d: PythonDistribution) => `${d.python.includes('/.pyenv/') ? 'pyenv' : d.python.startsWith('/usr/bin/') ? 'Debian' : 'Python'} ${d.version}`;
  const list: Interpreter[] = [{ dist: first, label: label(first), full: true }];
  const notes: string[] = [];
  const second = process.env.OXIDIZE_BENCH_SECOND_PYTHON ?? '/usr/bin/python3.11';
  if (existsSync(second) && realpathSync(second) !== realpathSync(first.python)) {
    try {
      const d = await resolveHostDistribution(second);
      list.push({ dist: d, label: label(d), full: false });
    } catch (e) {
      notes.push(`${second} is not measured: ${(e as Error).message}`);
    }
  }
  return { list, notes };
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-bench-'));
  const { list, notes } = await interpreters();
  log(`working in ${work} with ${list.map((i) => i.dist.python).join(' and ')}`);
  if (!counting) notes.push('valgrind is not installed: no instruction counts (`apt-get install valgrind`).');
  const targets: Target[] = [];
  // Builds first: they are quick to fail (a config that no longer fits) and the rest is long.
  const buildTargets: Target[] = [];
  const builds = measureBuilds(list[0].dist, work, buildTargets, notes);
  const workloads = list.flatMap((it, i) => measureInterpreter(it, i, work, targets, notes));
  verificationShare(list[0].dist, work, targets, notes);
  targets.push(...buildTargets);
  const exe0 = (name: string) => path.join(work, 'fixture-0', 'build', list[0].dist.targetTriple, 'release', name, name);
  const sizes = [
    { name: 'noop, in memory', bytes: sizeOf(exe0('noop-memory')), note: 'stub + payload: interpreter and the whole standard library' },
    { name: 'noop, files', bytes: sizeOf(path.dirname(exe0('noop-files'))), note: 'executable and its lib/ directory' },
    ...(existsSync(exe0('hg-memory')) ? [{ name: 'hg, in memory', bytes: sizeOf(exe0('hg-memory')), note: 'with Mercurial' }] : []),
    { name: 'sample', bytes: sizeOf(path.join(work, 'sample', 'build', list[0].dist.targetTriple, 'debug', 'exe', 'sample')), note: 'what `npx oxidize build` makes' },
  ];
  const report: Report = {
    date: new Date().toISOString().slice(0, 10),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot, encoding: 'utf8' }).trim(),
    machine: machine(list),
    workloads,
    builds,
    sizes,
    targets,
    notes: [
      ...notes,
      'Every executable runs the same optimized stub: `--release` only changes the output directory (`test/e2e/sample.test.ts` checks that debug and release builds are byte-identical), so there is no separate debug row.',
      'Runs use Python\'s defaults: PYTHON* variables of the benchmark\'s environment are removed.',
      'Build times include starting Node.js and the CLI, as a user runs `npx oxidize build`, with `--python` naming the interpreter. A warm build starts no Python process: the interpreter\'s description is cached while its files stay the same (a pyenv shim, which costs 0.25–0.5 s to run, is read, not run).',
    ],
    command: QUICK ? 'OXIDIZE_BENCH_QUICK=1 npm run bench' : 'npm run bench',
  };

  const results = path.join(packageRoot, 'bench/results');
  mkdirSync(results, { recursive: true });
  const svgName = `${report.date}.svg`;
  writeFileSync(path.join(results, svgName), svgChart(report));
  const mdPath = path.join(results, `${report.date}.md`);
  writeFileSync(mdPath, markdown(report, svgName));
  updateReadme(report, `bench/results/${report.date}.md`);
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`${path.relative(process.cwd(), mdPath)}\n`);
  for (const t of report.targets) log(`${t.met ? 'met' : 'MISSED'}: ${t.name}: ${t.value}`);
}

/** Rewrites the README's benchmark summary from the report. */
function updateReadme(report: Report, link: string) {
  const readme = path.join(packageRoot, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const lines = [
    begin,
    `Latest benchmark: [${link}](${link}) (${report.machine[0]}), written by \`npm run bench\`:`,
    '',
    ...report.targets.map((t) => `- ${t.name}: ${t.value}${t.met ? '' : ` (missed: ${t.detail})`}`),
    end,
  ].join('\n');
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + lines + text.slice(j + end.length) : `${text.trimEnd()}\n\n## Performance\n\n${lines}\n`;
  writeFileSync(readme, next);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
