/**
 * pipInstall results are cached: a second build does not run pip (pip's own
 * log, PIP_LOG, records every run), a wheel whose bytes change is installed
 * again, and a damaged cache entry is noticed and replaced.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { oxidize, projectDir, repoRoot, run } from '../helpers/cli.js';
import { copyWheelProject } from '../helpers/wheels.js';

const CONFIG = `
import { defineConfig, pipInstall } from 'oxidize';
export default defineConfig({
  targets: {
    greet: {
      build: (ctx) =>
        ctx.defaultPythonDistribution().toPythonExecutable({ name: 'greet', config: { runCommand: 'from greeting import main; main()' } })
          .addPythonResources(pipInstall(['--no-index', '--find-links', 'wheels', 'greeting'], { extraEnv: { PIP_LOG: process.env.OXIDIZE_TEST_PIP_LOG!, PIP_NO_CACHE_DIR: '1' } })),
    },
  },
});
`;

let dir: string;
let pipLog: string;
let python: string;

function buildWheel() {
  const r = spawnSync(python, ['-m', 'pip', 'wheel', '--no-index', '--no-deps', '-w', path.join(dir, 'wheels'), path.join(dir, 'project')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** pip runs recorded in its log so far. */
function pipRuns(): number {
  return existsSync(pipLog) ? readFileSync(pipLog, 'utf8').split('\n').filter((l) => /Using pip \S+ from/.test(l)).length : 0;
}

function build(): { exe: string; stderr: string } {
  const r = oxidize(['build', '--verbose'], { cwd: dir, env: { OXIDIZE_TEST_PIP_LOG: pipLog } });
  assert.equal(r.code, 0, r.stderr);
  return { exe: path.resolve(dir, r.stdout.trim()), stderr: r.stderr };
}

before(() => {
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG }, 'oxidize-pip-cache-');
  copyWheelProject(path.join(repoRoot, 'test/fixtures/apps/greeting-project'), path.join(dir, 'project'));
  pipLog = path.join(dir, 'pip.log');
  python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  buildWheel();
});

// The wheel's path is part of the key, and this project is new: the first build runs pip.
test('a second build reuses what pip installed; a changed wheel is installed again', () => {
  const first = build();
  assert.equal(pipRuns(), 1);
  assert.match(first.stderr, /pip: installed, cached as /);
  assert.equal(run(first.exe).stdout, 'greeting 2.0.1 from a wheel\n');

  const second = build();
  assert.equal(pipRuns(), 1, 'pip did not run again');
  assert.match(second.stderr, /pip: nothing changed since an earlier install/);
  assert.equal(run(second.exe).stdout, 'greeting 2.0.1 from a wheel\n');

  // Same file name and version, other bytes.
  writeFileSync(path.join(dir, 'project/greeting/template.txt'), 'greeting {version}, rebuilt\n');
  buildWheel();
  const third = build();
  assert.equal(pipRuns(), 2, 'the changed wheel made pip run');
  assert.equal(run(third.exe).stdout, 'greeting 2.0.1, rebuilt\n');

  build();
  assert.equal(pipRuns(), 2);
});

test('a damaged cached pip result is reported and replaced by a fresh install', () => {
  const reused = build().stderr.match(/pip: nothing changed since an earlier install, reusing (.+)$/m);
  assert.ok(reused, 'the entry is named');
  const before = pipRuns();
  const bytes = readFileSync(reused[1]);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(reused[1], bytes);
  const r = build();
  assert.match(r.stderr, /warning: cached pip result .* is damaged/);
  assert.equal(pipRuns(), before + 1);
  assert.equal(run(r.exe).stdout, 'greeting 2.0.1, rebuilt\n');
});
