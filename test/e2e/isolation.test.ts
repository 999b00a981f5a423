/**
 * The executable, alone in an empty directory, with the host's Python
 * installations hidden (a private mount namespace with tmpfs over them),
 * imports the standard library from its payload.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { repoRoot } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

const MODULES = readFileSync(path.join(repoRoot, 'test/fixtures/stdlib-modules.txt'), 'utf8').split('\n').filter(Boolean);

function canUnshare(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['-m', 'true']).status === 0;
}

const CHECK = `
import importlib, json, os, sys
names = open(sys.argv[1] if len(sys.argv) > 1 else ${JSON.stringify('/dev/null')}).read().split()
ok, failed = [], {}
for n in names:
    try:
        importlib.import_module(n)
        ok.append(n)
    except BaseException as e:
        failed[n] = repr(e)[:200]
print(json.dumps({"ok": ok, "failed": failed, "hidden": [p for p in HIDDEN if os.listdir(p)]}))
`;

test('imports the standard library with every host Python hidden', { skip: !canUnshare() && 'needs root and unshare -m' }, async () => {
  const dist = await resolveHostDistribution();
  const { exes } = buildFixture('stdlib-check');
  const alone = mkdtempSync(path.join(os.tmpdir(), 'oxidize-alone-'));
  const exe = path.join(alone, 'python-oxidized');
  copyFileSync(exes.get('python-oxidized')!, exe);
  spawnSync('chmod', ['755', exe]);
  const listFile = path.join(alone, 'modules.txt');
  copyFileSync(path.join(repoRoot, 'test/fixtures/stdlib-modules.txt'), listFile);

  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const hidden = [...new Set([dist.stdlibDir, dist.dynloadDir, `/usr/lib/python${dist.versionShort}`, '/usr/lib/python3', `/usr/local/lib/python${dist.versionShort}`, pyenvRoot])]
    .filter((p) => existsSync(p))
    .map((p) => path.resolve(p));
  // Hiding a directory hides what is inside it: mount over the outermost only.
  const outermost = hidden.filter((p) => !hidden.some((q) => q !== p && p.startsWith(`${q}/`)));
  const mounts = outermost.map((p) => `mount -t tmpfs none '${p}'`).join(' && ');
  const script = CHECK.replace('HIDDEN', JSON.stringify(outermost));
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `${mounts} && cd '${alone}' && exec ./python-oxidized '${listFile}'`], {
    input: script,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { ok: string[]; failed: Record<string, string>; hidden: string[] };
  assert.deepEqual(result.hidden, [], 'the host installations are empty inside the namespace');
  assert.ok(result.ok.length >= 450, `imported ${result.ok.length} of ${MODULES.length}; failed: ${JSON.stringify(result.failed, null, 1)}`);
  for (const name of ['json', 'email.parser', 'asyncio', 'xml.etree.ElementTree', 'sqlite3', 'ssl', 'ctypes', 'decimal', 'multiprocessing', 'zoneinfo']) {
    assert.ok(result.ok.includes(name), `${name}: ${result.failed[name]}`);
  }
});
