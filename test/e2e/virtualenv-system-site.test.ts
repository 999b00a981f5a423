/**
 * readVirtualenv on a virtualenv made with --system-site-packages (Debian's
 * python3.11 and its python3-yaml): the build warns in one line naming the
 * distribution the virtualenv's packages require from the system
 * site-packages and the readPackageRoot that packs it; the import report
 * puts the program's own failing import first; with that readPackageRoot
 * added the executable runs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { oxidize, projectDir, run } from '../helpers/cli.js';

const PYTHON = '/usr/bin/python3.11';
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const hasYaml = existsSync(DIST_PACKAGES) && readdirSync(DIST_PACKAGES).some((n) => /^PyYAML-.*\.(dist|egg)-info$/.test(n));
const skip = !(existsSync(PYTHON) && hasYaml) && "needs Debian's python3.11 and python3-yaml";

const CONFIG = `
import { defineConfig, readPackageRoot, readVirtualenv } from 'oxidize';
const app = (ctx) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'tabapp', config: { runModule: 'tabapp' } })
  .addPythonResources(readVirtualenv('venv')).addPythonResources(readPackageRoot('.', ['tabapp']));
export default defineConfig({
  targets: {
    venv: { default: true, build: app },
    fixed: { build: (ctx) => app(ctx).addPythonResources(readPackageRoot('${DIST_PACKAGES}', ['yaml', '_yaml'])) },
  },
});
`;

let dir: string;

before(() => {
  if (skip) return;
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG, 'tabapp/__init__.py': '', 'tabapp/__main__.py': 'import yaml\nprint(yaml.safe_dump({"a": 1}).strip())\n' }, 'oxidize-venv-system-');
  execFileSync(PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', path.join(dir, 'venv')]);
  // What `pip install` of an application needing PyYAML leaves when the system site-packages has it: metadata only.
  const info = path.join(dir, 'venv/lib/python3.11/site-packages/tabapp_dist-1.0.dist-info');
  mkdirSync(info, { recursive: true });
  writeFileSync(path.join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: tabapp-dist\nVersion: 1.0\nRequires-Dist: PyYAML\nRequires-Dist: pytest ; extra == "test"\n\n');
});

test('a virtualenv that sees the system site-packages: one warning naming what is missing and how to pack it', { skip }, () => {
  const r = oxidize(['build', '--python', PYTHON], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const warning = r.stderr.split('\n').filter((l) => l.includes('include-system-site-packages'));
  assert.equal(warning.length, 1, r.stderr);
  assert.match(warning[0], /readVirtualenv\('venv'\): its pyvenv\.cfg has include-system-site-packages = true, but only the virtualenv's own site-packages is packed: PyYAML \(required by tabapp_dist\) is only in the system site-packages and not packed; install it into the virtualenv \(venv\/bin\/pip install PyYAML\), or add readPackageRoot\('\/usr\/lib\/python3\/dist-packages', \[[^\]]*'yaml'[^\]]*\]\)/);
  assert.doesNotMatch(warning[0], /pytest/);
  // The program's own import comes first in the report.
  assert.match(r.stderr, /cannot be satisfied by what is packed:\n {2}tabapp\.__main__ imports yaml, which is not packed: the program stops with ModuleNotFoundError as it starts; it is in \/usr\/lib\/python3\/dist-packages, the system site-packages the virtualenv sees and readVirtualenv does not pack\n/);
  const missing = run(path.join(dir, r.stdout.trim()));
  assert.match(missing.stderr, /No module named 'yaml'/);

  const fixed = oxidize(['build', 'fixed', '--python', PYTHON], { cwd: dir });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(run(path.join(dir, fixed.stdout.trim())).stdout.trim(), 'a: 1');
});
