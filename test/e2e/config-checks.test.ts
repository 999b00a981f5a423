/**
 * Config choices judged through the real CLI with a real interpreter:
 * `runModule: 'module:function'` runs like a console script, and an
 * interpreter of an unsupported version is named by its version.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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

const PYTHON2 = ['/usr/bin/python2.7', '/root/.pyenv/versions/2.7.18/bin/python2.7'].find((p) => existsSync(p));

test('--python naming a Python 2 interpreter says its version is not supported', { skip: PYTHON2 ? false : 'no Python 2.7 on this machine' }, () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': config("{ name: 'app' }", '') }, 'oxidize-config-checks-');
  const r = oxidize(['build', '--quiet', '--python', PYTHON2!], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^oxidize: error: Python 2\.7\.\d+ \(\S+\) is not supported; oxidize embeds Python 3\.\d+ and 3\.\d+; use a 3\.\d+ or 3\.\d+ interpreter \(--python or `python` in the config\) or distribution archive\n$/);
});
