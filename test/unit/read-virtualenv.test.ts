/** readVirtualenv on a virtualenv that sees the system site-packages: what its packages require from there. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  eggRequirements, includesSystemSite, installedDistributions, markerEnvironment, markerHolds, parsePyvenvCfg, requiredFromSystem, requiredNames, topLevelModules,
} from '../../plugins/read-virtualenv/system-site.js';
import { formatMissing } from '../../src/analysis/unresolved.js';

const env = markerEnvironment({ version: '3.11.2', versionShort: '3.11', targetTriple: 'x86_64-unknown-linux-gnu' });

test('pyvenv.cfg: include-system-site-packages', async () => {
  assert.deepEqual(parsePyvenvCfg('home = /usr/bin\ninclude-system-site-packages = true\nversion = 3.11.2\n'), { home: '/usr/bin', 'include-system-site-packages': 'true', version: '3.11.2' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-venv-'));
  assert.equal(await includesSystemSite(dir), false, 'no pyvenv.cfg');
  writeFileSync(path.join(dir, 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = True\n');
  assert.equal(await includesSystemSite(dir), true);
  writeFileSync(path.join(dir, 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\n');
  assert.equal(await includesSystemSite(dir), false);
});

test('markers are evaluated for the distribution; extras and unknown variables do not hold', () => {
  assert.equal(markerHolds('python_version >= "3.8"', env), true);
  assert.equal(markerHolds('python_version < "3.10"', env), false, 'compared as versions, not strings');
  assert.equal(markerHolds('python_full_version >= "3.11.1" and sys_platform == "linux"', env), true);
  assert.equal(markerHolds('sys_platform == "win32" or (os_name == "posix" and platform_system != "Darwin")', env), true);
  assert.equal(markerHolds("platform_python_implementation == 'PyPy'", env), false);
  assert.equal(markerHolds('"linux" in sys_platform', env), true);
  assert.equal(markerHolds('extra == "test"', env), undefined);
  assert.equal(markerHolds('python_version >= "3" and extra == "test"', env), undefined);
  assert.equal(markerHolds('sys_platform == "win32" and extra == "test"', env), false);
  assert.equal(markerHolds('python_version >=', env), undefined, 'does not parse');
  assert.deepEqual(requiredNames(['PyYAML (>=5)', 'tabulate ; python_version >= "3.6"', 'pytest ; extra == "test"', 'colorama; sys_platform == "win32"', 'requests[socks]>=2'], env), ['PyYAML', 'tabulate', 'requests']);
  assert.deepEqual(eggRequirements('click>=7\n\n[:python_version < "3.8"]\nimportlib_metadata\n\n[:sys_platform == "linux"]\npexpect\n\n[dev]\npytest\n'), [
    'click>=7', 'importlib_metadata; python_version < "3.8"', 'pexpect; sys_platform == "linux"',
  ]);
});

test('what the virtualenv requires that only the system site-packages has, through what that requires', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oxidize-venv-'));
  const dist = (dir: string, name: string, files: Record<string, string>) => {
    mkdirSync(path.join(root, dir, name), { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(root, dir, name, f), text);
  };
  dist('venv', 'myapp-1.0.dist-info', { METADATA: 'Name: myapp\nRequires-Dist: Flask\nRequires-Dist: attrs\nRequires-Dist: pytest; extra == "test"\n\nRequires-Dist: in-the-body\n', RECORD: 'myapp/__init__.py,,\n' });
  dist('venv', 'attrs-23.1.0.dist-info', { METADATA: 'Name: attrs\n\n', 'top_level.txt': 'attr\nattrs\n' });
  dist('system', 'Flask-2.2.2.egg-info', { 'requires.txt': 'Werkzeug>=2.2\n[async]\nasgiref\n', 'top_level.txt': 'flask\n' });
  dist('system', 'Werkzeug-2.2.2.dist-info', { METADATA: 'Name: Werkzeug\nRequires-Dist: MarkupSafe\n\n', RECORD: 'werkzeug/__init__.py,,\nWerkzeug-2.2.2.dist-info/RECORD,,\n' });
  dist('system', 'MarkupSafe-2.1.2.dist-info', { METADATA: 'Name: MarkupSafe\n\n', 'top_level.txt': 'markupsafe\n' });
  dist('system', 'attrs-22.0.0.dist-info', { METADATA: 'Name: attrs\n\n' });
  dist('system', 'pytest-7.0.dist-info', { METADATA: 'Name: pytest\n\n' });
  const venv = await installedDistributions(path.join(root, 'venv'));
  const system = await installedDistributions(path.join(root, 'system'));
  const found = requiredFromSystem(venv, system, env);
  assert.deepEqual(found.map((f) => [f.distribution.name, f.requiredBy, f.distribution.topLevel]), [
    ['Flask', 'myapp', ['flask']],
    ['Werkzeug', 'Flask', ['werkzeug']],
    ['MarkupSafe', 'Werkzeug', ['markupsafe']],
  ]);
});

test("the top-level modules of a site-packages directory; a missing import found there says so", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-venv-'));
  for (const d of ['yaml', 'PyYAML-6.0.dist-info', '__pycache__']) mkdirSync(path.join(dir, d));
  for (const f of ['tabulate.py', '_yaml.cpython-311-x86_64-linux-gnu.so', 'distutils-precedence.pth', 'README.txt']) writeFileSync(path.join(dir, f), '');
  assert.deepEqual([...(await topLevelModules(dir))].sort(), ['__pycache__', '_yaml', 'tabulate', 'yaml']);
  const line = formatMissing([{ missing: 'yaml', importers: ['tabapp'], optional: false, atImport: true, testsOnly: false, reached: true, atStart: true, systemSite: dir }])[1];
  assert.equal(line, `  tabapp imports yaml, which is not packed: the program stops with ModuleNotFoundError as it starts; it is in ${dir}, the system site-packages the virtualenv sees and readVirtualenv does not pack`);
});
