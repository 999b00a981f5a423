/**
 * The npm package as users get it: what `npm pack` ships, and the tarball
 * installed into a new project builds and runs an application whose config
 * imports from the package name, under the user's strict tsc.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot, run } from '../helpers/cli.js';
import { installPackedIntoNewProject, packageName, packRepository } from '../helpers/pack.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [path.relative(repoRoot, p)];
  });
}

/** What the CLI and the API need at run time, plus the documents a user reads. */
const ALLOWED = [
  /^package\.json$/, /^README\.md$/, /^LICENSE$/,
  /^bin\/oxidize\.js$/,
  /^dist\/(src|plugins)\/.+\.(js|d\.ts)$/,
  /^src\/.+\.py$/,
  /^runtime-rust\/(Cargo\.toml|Cargo\.lock|build\.rs|src\/.+\.rs|c\/.+\.[ch]|python\/.+\.py)$/,
  /^schemas\/.+\.(md|json)$/,
  /^docs\/.+\.md$/,
  /^bench\/results\/.+\.(md|svg)$/,
];

test('npm pack ships what the CLI needs at run time and nothing else', () => {
  const { files } = packRepository();
  const packed = new Set(files);
  const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  assert.deepEqual(unexpected, [], 'files nobody needs at run time');

  const needed = [
    'package.json', 'README.md', 'LICENSE', 'bin/oxidize.js',
    ...filesUnder(path.join(repoRoot, 'dist/src')).filter((f) => /\.(js|d\.ts)$/.test(f)),
    ...filesUnder(path.join(repoRoot, 'dist/plugins')).filter((f) => /\.(js|d\.ts)$/.test(f)),
    ...filesUnder(path.join(repoRoot, 'src')).filter((f) => f.endsWith('.py')),
    ...['Cargo.toml', 'Cargo.lock', 'build.rs'].map((f) => `runtime-rust/${f}`),
    ...['src', 'c', 'python'].flatMap((d) => filesUnder(path.join(repoRoot, 'runtime-rust', d))),
  ];
  assert.deepEqual(needed.filter((f) => !packed.has(f)), [], 'files the CLI needs but the package lacks');

  // Every relative import of the shipped JavaScript resolves inside the package.
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    const source = readFileSync(path.join(repoRoot, f), 'utf8');
    for (const m of source.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]));
      assert.ok(packed.has(target), `${f} imports ${m[1]}, which is not in the package`);
    }
  }
  // Every relative link of the shipped documents points at a shipped file.
  for (const f of files.filter((x) => x.endsWith('.md'))) {
    const text = readFileSync(path.join(repoRoot, f), 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(m[1])) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]));
      assert.ok(packed.has(target), `${f} links ${m[1]}, which is not in the package`);
    }
  }
  assert.match(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'), /^Mozilla Public License Version 2\.0\n/);
  assert.equal((JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { license: string }).license, 'MPL-2.0');
});

const APP_CONFIG = (name: string) => `import { defineConfig, readPackageRoot, type TargetContext } from '${name}';

export default defineConfig({
  targets: {
    exe: {
      default: true,
      build(ctx: TargetContext) {
        const exe = ctx.defaultPythonDistribution().toPythonExecutable({ name: 'hello', config: { runModule: 'hello' } });
        exe.addPythonResources(readPackageRoot('app', ['hello']));
        return exe;
      },
    },
  },
});
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true },
  include: ['pyoxidizer.config.ts', 'repl/pyoxidizer.config.ts'],
});

test('the packed tarball, installed in a new project, type-checks strictly and builds an app that runs', () => {
  const name = packageName();
  const dir = installPackedIntoNewProject({
    'pyoxidizer.config.ts': APP_CONFIG(name),
    'tsconfig.json': TSCONFIG,
    'app/hello/__init__.py': 'import sys\n\ndef main():\n    print("hello from", __name__, sys.argv[1:], getattr(sys, "oxidized", False))\n',
    'app/hello/__main__.py': 'from hello import main\nmain()\n',
  });
  const init = spawnSync('npx', ['oxidize', 'init-config-file', 'repl'], { cwd: dir, encoding: 'utf8' });
  assert.equal(init.status, 0, init.stderr);

  // The user's strict tsc, with no @types/node anywhere: the package's declarations stand alone.
  assert.ok(!existsSync(path.join(dir, 'node_modules/@types/node')), 'installing the package pulled in @types/node');
  const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
  assert.equal(tsc.status, 0, `strict tsc failed:\n${tsc.stdout}${tsc.stderr}`);

  const build = spawnSync('npx', ['oxidize', 'build'], { cwd: dir, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const exe = path.resolve(dir, build.stdout.trim());
  const r = run(exe, ['a', 'b']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "hello from hello ['a', 'b'] True\n");
});
