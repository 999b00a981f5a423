/**
 * `npm run bench`: builds what it measures, then measures start-up, imports,
 * real applications and build time beside the system interpreter, zipapp and
 * PEX, and writes bench/results/<date>.md with an SVG chart. The README's
 * summary is rewritten from the same figures.
 *
 * OXIDIZE_BENCH_PYTHON picks the interpreter (default: as `oxidize build`);
 * OXIDIZE_BENCH_QUICK=1 runs fewer rounds (for trying the benchmark out).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveHostDistribution } from '../src/distribution/host.js';
import type { PythonDistribution } from '../src/distribution/types.js';
import { packageRoot } from '../src/util/paths.js';
import { measure, type Measured, type Variant } from './measure.js';
import { markdown, speedup, svgChart, type BuildResult, type Report, type WorkloadResult } from './report.js';

const QUICK = process.env.OXIDIZE_BENCH_QUICK === '1';
const rounds = (n: number) => (QUICK ? Math.max(3, Math.round(n / 5)) : n);
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const CLI = path.join(packageRoot, 'bin/oxidize.js');

function log(line: string) {
  process.stderr.write(`bench: ${line}\n`);
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** The standard library modules (from the list the tests use) that import cleanly with this interpreter. */
function importableModules(dist: PythonDistribution): string[] {
  const names = readFileSync(path.join(packageRoot, 'test/fixtures/stdlib-modules.txt'), 'utf8').split('\n').filter(Boolean);
  const probe = 'import importlib, sys\nfor n in sys.argv[1:]:\n    try:\n        importlib.import_module(n)\n        print(n)\n    except BaseException:\n        pass\n';
  return run(dist.python, ['-I', '-S', '-W', 'ignore', '-c', probe, ...names]).split('\n').filter(Boolean);
}

function buildFixture(dist: PythonDistribution, dir: string, targets: string[]): Map<string, string> {
  const out = run(process.execPath, [CLI, 'build', '--release', '--python', dist.python, ...targets], { cwd: dir, env: { ...process.env, CI: '1' } });
  return new Map(out.trim().split('\n').map((p) => [path.basename(p), path.resolve(dir, p)]));
}

function zipapp(dist: PythonDistribution, work: string, name: string, files: Record<string, string>, copyPackages: string[] = []): string {
  const dir = path.join(work, `${name}-zipapp`);
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, rel), text);
  for (const p of copyPackages) cpSync(path.join(DIST_PACKAGES, p), path.join(dir, p), { recursive: true });
  const target = path.join(work, `${name}.pyz`);
  run(dist.python, ['-m', 'zipapp', dir, '-o', target]);
  return target;
}

/** A PEX, when Debian's pex can build one that runs with this interpreter; else why not. */
function tryPex(dist: PythonDistribution, work: string): string | undefined {
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

const hgEnv = { HGRCPATH: '', HGPLAIN: '1', HGUSER: 'bench <bench@example.org>', LANG: 'C' };

/** A Mercurial session of 20 processes (18 hg commands) in a fresh repository. */
function hgSession(hg: string[], repo: string): { commands: string[][]; before: string[][] } {
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

function sizeOf(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, e) => n + sizeOf(path.join(p, e)), 0);
}

function machine(dist: PythonDistribution): string[] {
  const cpus = os.cpus();
  return [
    `${cpus.length} cores, ${cpus[0]?.model ?? 'unknown CPU'}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, Linux ${os.release()}`,
    `Node.js ${process.version}; the distribution (and the system interpreter measured): ${dist.python}, Python ${dist.version}, linked from ${dist.link.staticLibrary ? path.basename(dist.link.staticLibrary) : 'its core objects'}`,
  ];
}

function workload(title: string, description: string, baseline: string, results: Measured[], showRss: boolean, notes: string[] = []): WorkloadResult {
  return { title, description, baseline, results, showRss, notes };
}

async function main() {
  const dist = await resolveHostDistribution(process.env.OXIDIZE_BENCH_PYTHON);
  const py = dist.python;
  const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-bench-'));
  log(`working in ${work} with ${py}`);

  const fixture = path.join(work, 'fixture');
  cpSync(path.join(packageRoot, 'bench/fixture'), fixture, { recursive: true });
  const modules = importableModules(dist);
  const importScript = modules.map((m) => `import ${m}\n`).join('');
  writeFileSync(path.join(fixture, 'app/import_all.py'), importScript);
  log(`${modules.length} standard library modules import cleanly`);

  const haveApps = existsSync(path.join(DIST_PACKAGES, 'pyflakes')) && existsSync(path.join(DIST_PACKAGES, 'mercurial'));
  const targets = ['noop-memory', 'noop-files', 'import-memory', 'import-files', ...(haveApps ? ['pyflakes-memory', 'pyflakes-files', 'hg-memory', 'hg-files'] : [])];
  log(`building ${targets.join(', ')} (release)`);
  const exes = buildFixture(dist, fixture, targets);
  const exe = (name: string) => exes.get(name)!;

  const noopPyz = zipapp(dist, work, 'noop', { '__main__.py': 'pass\n' });
  const importPyz = zipapp(dist, work, 'import', { '__main__.py': importScript });
  writeFileSync(path.join(work, 'import_all.py'), importScript);
  const pexProblem = tryPex(dist, work);
  const pexNote = pexProblem ? [`PEX: not measured. ${pexProblem}.`] : [];
  const workloads: WorkloadResult[] = [];

  log('measuring start-up');
  const noop: Variant[] = [
    { name: 'python3 -S -I -c pass', commands: [[py, '-S', '-I', '-c', 'pass']] },
    { name: 'python3 -S -c pass', commands: [[py, '-S', '-c', 'pass']] },
    { name: 'python3 -c pass', commands: [[py, '-c', 'pass']] },
    { name: 'oxidize, in memory', commands: [[exe('noop-memory')]] },
    { name: 'oxidize, files', commands: [[exe('noop-files')]] },
    { name: 'zipapp (python3 -S)', commands: [[py, '-S', noopPyz]] },
  ];
  if (!pexProblem) noop.push({ name: 'PEX (python3)', commands: [[py, path.join(work, 'noop.pex')]] });
  workloads.push(workload('Start-up', 'A program that does nothing (`pass`).', 'python3 -S -I -c pass', measure(py, noop, rounds(40), 3), true, pexNote));

  log('measuring imports');
  const imports: Variant[] = [
    { name: 'python3 -S', commands: [[py, '-S', '-W', 'ignore', path.join(work, 'import_all.py')]] },
    { name: 'python3', commands: [[py, '-W', 'ignore', path.join(work, 'import_all.py')]] },
    { name: 'oxidize, in memory', commands: [[exe('import-memory')]], env: { PYTHONWARNINGS: 'ignore' } },
    { name: 'oxidize, files', commands: [[exe('import-files')]], env: { PYTHONWARNINGS: 'ignore' } },
    { name: 'zipapp (python3 -S)', commands: [[py, '-S', '-W', 'ignore', importPyz]] },
  ];
  workloads.push(
    workload('Import', `A script importing ${modules.length} standard library modules (the list in \`test/fixtures/stdlib-modules.txt\`, less those this interpreter cannot import).`, 'python3 -S', measure(py, imports, rounds(20), 2), true),
  );

  if (haveApps) {
    log('measuring pyflakes');
    const target = path.join(work, 'ftplib.py');
    cpSync(path.join(dist.stdlibDir, 'ftplib.py'), target);
    const pyflakesPyz = zipapp(dist, work, 'pyflakes', { '__main__.py': 'from pyflakes.api import main\nmain(prog="pyflakes")\n' }, ['pyflakes']);
    const system = { PYTHONPATH: DIST_PACKAGES };
    const pyflakes: Variant[] = [
      { name: 'python3 -m pyflakes', commands: [[py, '-m', 'pyflakes', target]], env: system },
      { name: 'oxidize, in memory', commands: [[exe('pyflakes-memory'), target]] },
      { name: 'oxidize, files', commands: [[exe('pyflakes-files'), target]] },
      { name: 'zipapp (python3)', commands: [[py, pyflakesPyz, target]] },
    ];
    // pyflakes exits 1 when it reports something; the outputs must agree.
    const outputs = pyflakes.map((v) => spawnSync(v.commands[0][0], v.commands[0].slice(1), { encoding: 'utf8', env: { ...process.env, ...v.env } }).stdout);
    if (new Set(outputs).size !== 1) throw new Error(`pyflakes variants disagree:\n${outputs.join('\n---\n')}`);
    for (const v of pyflakes) v.allow_failure = true;
    workloads.push(workload('pyflakes', `pyflakes checking \`ftplib.py\` (${readFileSync(target, 'utf8').split('\n').length} lines) of the standard library.`, 'python3 -m pyflakes', measure(py, pyflakes, rounds(20), 2), false));

    log('measuring Mercurial');
    const hgVariants: Variant[] = [
      { name: 'python3 /usr/bin/hg', ...hgSession([py, '/usr/bin/hg'], path.join(work, 'repo-system')), env: { ...hgEnv, PYTHONPATH: DIST_PACKAGES } },
      { name: 'oxidize, in memory', ...hgSession([exe('hg-memory')], path.join(work, 'repo-memory')), env: hgEnv },
      { name: 'oxidize, files', ...hgSession([exe('hg-files')], path.join(work, 'repo-files')), env: hgEnv },
    ];
    workloads.push(
      workload('Mercurial session', 'A session of 20 processes in a fresh repository: `hg init`, `add`, `status`, `commit`, `log`, `diff`, `annotate`, `cat`, `summary`, `tip`, `manifest`, `branches` (18 hg commands, 2 shell commands editing files).', 'python3 /usr/bin/hg', measure(py, hgVariants, rounds(8), 1), false, [
        'A zipapp of Mercurial is not measured: its C extensions cannot be imported from a zip file.',
      ]),
    );
  }

  log('measuring builds');
  const sample = path.join(work, 'sample');
  cpSync(path.join(packageRoot, 'sample'), path.join(sample, 'sample'), { recursive: true });
  cpSync(path.join(packageRoot, 'pyoxidizer.config.ts'), path.join(sample, 'pyoxidizer.config.ts'));
  const coldCache = path.join(work, 'cold-cache');
  const build: Variant = { name: 'build', commands: [[process.execPath, CLI, 'build', '--python', py]], cwd: sample, env: { CI: '1' } };
  const builds: BuildResult[] = [
    {
      name: 'cold',
      description: 'empty cache: builds the runtime stub with cargo (debug profile), compiles all bytecode',
      measured: measure(py, [{ ...build, name: 'cold', env: { CI: '1', OXIDIZE_CACHE_DIR: coldCache }, before: [['/bin/rm', '-rf', coldCache]] }], rounds(3) > 3 ? 2 : 1, 0)[0],
    },
    { name: 'warm', description: 'stub cached, nothing changed', measured: measure(py, [{ ...build, name: 'warm' }], rounds(10), 1)[0] },
    {
      name: 'one module changed',
      description: 'after editing `sample/greeting.py`',
      measured: measure(py, [{ ...build, name: 'changed', before: [['/bin/sh', '-c', `echo "# $(date +%s%N)" >> '${path.join(sample, 'sample/greeting.py')}'`]] }], rounds(10), 1)[0],
    },
  ];

  const sizes = [
    { name: 'noop, in memory (release)', bytes: sizeOf(exe('noop-memory')), note: 'stub + payload: interpreter and the whole standard library' },
    { name: 'noop, files (release)', bytes: sizeOf(path.dirname(exe('noop-files'))), note: 'executable and its lib/ directory' },
    ...(haveApps ? [{ name: 'hg, in memory (release)', bytes: sizeOf(exe('hg-memory')), note: 'with Mercurial' }] : []),
    { name: 'sample, debug', bytes: sizeOf(path.join(sample, 'build', dist.targetTriple, 'debug', 'exe', 'sample')), note: 'what `npx oxidize build` makes' },
  ];

  const find = (title: string, name: string) => {
    const w = workloads.find((x) => x.title === title)!;
    return { w, m: w.results.find((r) => r.name === name)! };
  };
  const imp = find('Import', 'oxidize, in memory');
  const importRatio = speedup(imp.w, imp.m);
  const start = find('Start-up', 'oxidize, in memory');
  const startRatio = speedup(start.w, start.m);
  const warm = builds[1].measured.wall.median;
  const report: Report = {
    date: new Date().toISOString().slice(0, 10),
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot, encoding: 'utf8' }).trim(),
    machine: machine(dist),
    workloads,
    builds,
    sizes,
    targets: [
      { name: 'import workload ≥ 1.3× faster than `python3 -S`', value: `${importRatio.toFixed(2)}×`, met: importRatio >= 1.3, detail: `${((1.3 / importRatio - 1) * 100).toFixed(0)}% short of 1.3×` },
      { name: 'no-op start-up no slower than `python3 -S -I -c pass`', value: `${startRatio.toFixed(2)}× (${start.m.wall.median.toFixed(2)} ms)`, met: startRatio >= 1, detail: `${((1 / startRatio - 1) * 100).toFixed(0)}% slower` },
      { name: 'warm build under 1 s', value: `${(warm / 1000).toFixed(2)} s`, met: warm < 1000, detail: `${(warm - 1000).toFixed(0)} ms over` },
    ],
    notes: [
      'Trimming (module-trace) does not exist yet, so only untrimmed sizes are given.',
      'Build times include starting Node.js and the CLI, as a user runs `npx oxidize build`.',
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
