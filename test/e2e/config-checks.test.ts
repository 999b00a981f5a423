/**
 * Config choices judged through the real CLI with a real interpreter:
 * `runModule: 'module:function'` runs like a console script, and an
 * interpreter of an unsupported version is named by its version.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildProject, oxidize, projectDir, run } from '../helpers/cli.js';

const config = (options: string, source = "readPackageRoot('src', ['myapp'])") => `import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({ targets: { exe: { build: (ctx) => ctx.defaultPythonDistribution().toPythonExecutable(${options}).addPythonResources(${source}) } } });
`;

test("runModule 'module:function' calls the function; its return value is the exit status", () => {
  const dir = projectDir(
    {
      'pyoxidizer.config.ts': config("{ name: 'app', config: { runModule: 'myapp.cli:main' } }"),
      'src/myapp/__init__.py': '',
      'src/myapp/cli.py': [
        'import sys',
        'def main():',
        '    print("main", __name__, sys.argv[1:])',
        '    if sys.argv[1:] == ["none"]:',
        '        return None',
        '    if sys.argv[1:] == ["text"]:',
        '        return "failed: text"',
        '    return 7',
        'class App:',
        '    @staticmethod',
        '    def run():',
        '        return 4',
      ].join('\n'),
    },
    'oxidize-config-checks-',
  );
  const [exe] = buildProject(dir, ['--quiet']);
  const r = run(exe, ['a', 'b']);
  assert.equal(r.code, 7, r.stderr);
  // The module is imported as itself, not run as __main__.
  assert.equal(r.stdout, "main myapp.cli ['a', 'b']\n");
  assert.equal(run(exe, ['none']).code, 0);
  const text = run(exe, ['text']);
  assert.equal(text.code, 1);
  assert.equal(text.stderr, 'failed: text\n');
});

test("runModule 'module:Class.method' calls a dotted function", () => {
  const dir = projectDir(
    {
      'pyoxidizer.config.ts': config("{ name: 'app', config: { runModule: 'myapp:App.run' } }"),
      'src/myapp/__init__.py': 'class App:\n    @staticmethod\n    def run():\n        return 4\n',
    },
    'oxidize-config-checks-',
  );
  const [exe] = buildProject(dir, ['--quiet']);
  assert.equal(run(exe).code, 4);
});

test("runModule 'module:function' naming a function the module does not define is a warning with the name meant", () => {
  const files = {
    'src/myapp/__init__.py': 'from .cli import main as entry\n',
    'src/myapp/cli.py': 'import sys\ndef main():\n    return 0\ntry:\n    import json\nexcept ImportError:\n    pass\nelse:\n    def other():\n        pass\n',
    'src/myapp/dyn.py': 'globals()["made"] = lambda: 0\n',
  };
  const warningsFor = (runModule: string) => {
    const dir = projectDir({ ...files, 'pyoxidizer.config.ts': config(`{ name: 'app', config: { runModule: ${JSON.stringify(runModule)} } }`) }, 'oxidize-config-checks-');
    const r = oxidize(['build'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    return r.stderr.split('\n').filter((l) => l.startsWith('oxidize: warning: pyoxidizer.config.ts: '));
  };
  assert.deepEqual(warningsFor('myapp.cli:mian'), [
    'oxidize: warning: pyoxidizer.config.ts: targets.exe → config.runModule "myapp.cli:mian" names mian, which myapp.cli does not define at its top level, so every run would fail with ImportError; did you mean myapp.cli:main?',
  ]);
  // Defined in an else branch, imported in a package, a submodule, bound dynamically: no warning.
  for (const ok of ['myapp.cli:other', 'myapp:entry', 'myapp:cli', 'myapp.dyn:made']) assert.deepEqual(warningsFor(ok), [], ok);
});

const PYTHON2 = ['/usr/bin/python2.7', '/root/.pyenv/versions/2.7.18/bin/python2.7'].find((p) => existsSync(p));

test('--python naming a Python 2 interpreter says its version is not supported', { skip: PYTHON2 ? false : 'no Python 2.7 on this machine' }, () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': config("{ name: 'app' }", '') }, 'oxidize-config-checks-');
  const r = oxidize(['build', '--quiet', '--python', PYTHON2!], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^oxidize: error: Python 2\.7\.\d+ \(\S+\) is not supported; oxidize embeds Python 3\.\d+ and 3\.\d+; use a 3\.\d+ or 3\.\d+ interpreter \(--python or `python` in the config\) or distribution archive\n$/);
});

test('names and patterns that match nothing are one warning line each, with the name meant when one is near', () => {
  const dir = projectDir(
    {
      'pyoxidizer.config.ts': `import { defineConfig, readPackageRoot, moduleTrace, glob, FileManifest } from 'oxidize';
export default defineConfig({ targets: {
  exe: { build: (ctx) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'app',
    config: { runModule: 'myapp.cli:main', sysPaths: ['$ORIGIN/lib', '$ORIGIN/app/vendor', '/opt/plugins'] },
    packagingPolicy: { resourceLocations: { myap: 'filesystem-relative:lib', zzzq: 'in-memory', 'myapp.cli': 'in-memory' }, exclude: ['tkinterr', 'xml*', 'nosuchmodule_zz', 'winreg'] },
    plugins: [moduleTrace({ traces: ['traces', 'trace/extra.txt'], include: ['myap.cli', 'jsn.*', 'email.*'], exclude: ['asynco', 'msvcrt'] })],
  }).addPythonResources(readPackageRoot('src', ['myapp'])) },
  install: { depends: ['exe'], default: true, build: (ctx) => new FileManifest().addExecutable(ctx.depends.exe).addManifest(glob(['statc/**', 'static/*.txt', 'static/*.nope']), 'share') },
} });
`,
      'src/myapp/__init__.py': '',
      'src/myapp/cli.py': 'def main():\n    print("ran")\n',
      'traces/run.txt': 'myapp\nmyapp.cli\n',
      'traces/extra.txt': 'json\n',
      'static/a.txt': 'a\n',
    },
    'oxidize-config-checks-',
  );
  const r = oxidize(['build'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  // The config's warnings (the import analysis may add its own).
  const prefix = 'oxidize: warning: pyoxidizer.config.ts: ';
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  const never = "is never searched: without filesystemImporter only the executable's own directories on sys.path are ($ORIGIN/app/...); set config.filesystemImporter: true to import from it, or remove the entry";
  assert.deepEqual(warnings.sort(), [
    'targets.exe → config.sysPaths[0] "$ORIGIN/lib" ' + never,
    'targets.exe → config.sysPaths[2] "/opt/plugins" ' + never,
    'targets.exe → moduleTrace({ exclude }) pattern "asynco" matches no module the sources and the standard library provide, so it drops nothing; did you mean "asyncio"?',
    'targets.exe → moduleTrace({ include }) pattern "jsn.*" matches no module the sources and the standard library provide, so it keeps nothing; did you mean "json.*"?',
    'targets.exe → moduleTrace({ include }) pattern "myap.cli" matches no module the sources and the standard library provide, so it keeps nothing; did you mean "myapp.cli"?',
    `targets.exe → moduleTrace({ traces }) path "trace/extra.txt" does not exist in ${dir}, so no module is kept for it; did you mean "traces/extra.txt"?`,
    'targets.exe → packagingPolicy.exclude[0] "tkinterr" matches no module the sources and the standard library provide, so it leaves nothing out; did you mean "tkinter"?',
    'targets.exe → packagingPolicy.exclude[2] "nosuchmodule_zz" matches no module the sources and the standard library provide, so it leaves nothing out',
    'targets.exe → packagingPolicy.resourceLocations.myap matches no packed module, package or metadata directory, so it places nothing; did you mean myapp?',
    'targets.exe → packagingPolicy.resourceLocations.zzzq matches no packed module, package or metadata directory, so it places nothing; a key is a packed package or module name (myapp, myapp.data) or metadata directory name (myapp-1.0.dist-info)',
    `targets.install → glob("static/*.nope") matches no file in ${dir}`,
    `targets.install → glob("statc/**") matches no file in ${dir}; did you mean "static/**"?`,
  ].sort());
  // winreg and msvcrt, standard library modules this distribution has not, are no mistake to exclude. Warnings do not stop the build.
  assert.equal(run(path.join(dir, r.stdout.trim().split('\n')[0])).stdout, 'ran\n');
});
