/**
 * The build's import analysis on real builds: imports that never run
 * (`if TYPE_CHECKING:`, platform and version checks) are not reported and do
 * not stop `--strict-imports` (jinja2 from Debian's python3-jinja2 too);
 * other platforms' modules are counted on one line; what the program imports
 * as it starts comes first, before imports made by more modules that it never
 * loads.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { oxidize, projectDir, run } from '../helpers/cli.js';

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const skipJinja = !existsSync(path.join(DIST_PACKAGES, 'jinja2')) && "needs Debian's python3-jinja2";

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
const app = (ctx, name, packages, more = []) =>
  ctx.defaultPythonDistribution().toPythonExecutable({ name, config: { runModule: packages[0] } }).addPythonResources(readPackageRoot('.', packages)).addPythonResources(more);
export default defineConfig({
  targets: {
    typed: { default: true, build: (ctx) => app(ctx, 'typed', ['typedapp']) },
    ranked: { build: (ctx) => app(ctx, 'ranked', ['rankedapp']) },
    jinja: { build: (ctx) => app(ctx, 'jinja', ['jinjaapp'], readPackageRoot('${DIST_PACKAGES}', ['jinja2', 'markupsafe'])) },
  },
});
`;

const TYPED = `import sys
import typing as t
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import not_installed_for_types
if t.TYPE_CHECKING:
    from not_installed_either import Thing
if sys.platform == "win32":
    import not_installed_on_windows
if sys.version_info < (3,):
    import not_installed_py2
try:
    import winreg
except ImportError:
    winreg = None

def console():
    if sys.platform == "win32":
        import msvcrt
    import _winapi
print("typed", winreg is None)
`;

// Three modules the program never imports need aaa_missing at import time; the program itself needs zzz_missing.
const RANKED_MAIN = 'import rankedapp.core\n';
const RANKED_CORE = 'import zzz_missing\n';
const UNUSED = 'import aaa_missing\n';

let dir: string;

before(() => {
  dir = projectDir(
    {
      'pyoxidizer.config.ts': CONFIG,
      'typedapp/__init__.py': '',
      'typedapp/__main__.py': TYPED,
      'rankedapp/__init__.py': '',
      'rankedapp/__main__.py': RANKED_MAIN,
      'rankedapp/core.py': RANKED_CORE,
      'rankedapp/plugin_a.py': UNUSED,
      'rankedapp/plugin_b.py': UNUSED,
      'rankedapp/plugin_c.py': UNUSED,
      'jinjaapp/__init__.py': '',
      'jinjaapp/__main__.py': 'import jinja2\nprint(jinja2.Template("{{ x }}").render(x=42))\n',
    },
    'oxidize-import-report-',
  );
});

test('imports that never run are not reported and --strict-imports passes; other platforms are counted', () => {
  const r = oxidize(['build', 'typed', '--strict-imports', '--verbose'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /not_installed/);
  assert.doesNotMatch(r.stderr, /cannot be satisfied/);
  assert.match(r.stderr, /2 modules of Windows only \(_winapi, winreg\) imported and not needed here: not reported/);
  assert.equal(run(path.join(dir, r.stdout.trim())).stdout.trim(), 'typed True');
});

test('what the program imports as it starts comes first and is never hidden', () => {
  const r = oxidize(['build', 'ranked'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n');
  const head = lines.findIndex((l) => /2 imports cannot be satisfied by what is packed:/.test(l));
  assert.ok(head >= 0, r.stderr);
  assert.equal(lines[head + 1], '  rankedapp.core imports zzz_missing, which is not packed: the program stops with ModuleNotFoundError as it starts');
  assert.equal(lines[head + 2], '  rankedapp.plugin_a, rankedapp.plugin_b, rankedapp.plugin_c import aaa_missing, which is not packed');
  const strict = oxidize(['build', 'ranked', '--strict-imports', '--json'], { cwd: dir });
  assert.notEqual(strict.code, 0);
  assert.match(strict.stderr, /zzz_missing/);
});

test('a jinja2 app from Debian packages builds with --strict-imports (its typing_extensions imports are under TYPE_CHECKING)', { skip: skipJinja }, () => {
  const r = oxidize(['build', 'jinja', '--strict-imports'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /typing_extensions/);
  assert.equal(run(path.join(dir, r.stdout.trim())).stdout.trim(), '42');
});
