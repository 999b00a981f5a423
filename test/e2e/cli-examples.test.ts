/**
 * Every example `--help` shows is a real command line that works: each is
 * run, in order, in a copy of the sample project with the fixture wheels.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { oxidize, repoRoot } from '../helpers/cli.js';
import { buildFixtureWheels } from '../helpers/wheels.js';

/** The commands `oxidize --help` lists, and the examples each one's `--help` shows. */
function examplesFromHelp(): string[] {
  const top = oxidize(['--help']).stdout;
  const commands = top.split('Commands:')[1].split('\n\n')[0].trim().split('\n').map((l) => l.trim().split(/\s+/)[0]);
  assert.ok(commands.length >= 8, top);
  return commands.flatMap((c) => {
    const help = oxidize([c, '--help']).stdout;
    const section = help.split('Examples:\n')[1];
    return section ? section.trim().split('\n').map((l) => l.trim()) : [];
  });
}

test('every example in --help runs and succeeds', () => {
  const examples = examplesFromHelp();
  assert.ok(examples.length >= 10, examples.join('\n'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-examples-'));
  cpSync(path.join(repoRoot, 'pyoxidizer.config.ts'), path.join(dir, 'pyoxidizer.config.ts'));
  cpSync(path.join(repoRoot, 'sample'), path.join(dir, 'sample'), { recursive: true });
  mkdirSync(path.join(dir, 'wheels'));
  buildFixtureWheels(path.join(dir, 'wheels'));
  // `cache clear` empties a cache of its own, not the one the other tests share.
  const scratchCache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scratch-cache-'));
  mkdirSync(path.join(scratchCache, 'bytecode'));
  writeFileSync(path.join(scratchCache, 'bytecode', 'leftover'), 'x');

  for (const example of examples) {
    const [bin, ...args] = example.split(' ');
    assert.equal(bin, 'oxidize', example);
    const env = example === 'oxidize cache clear' ? { OXIDIZE_CACHE_DIR: scratchCache } : {};
    const r = oxidize(args, { cwd: dir, env });
    assert.equal(r.code, 0, `${example} failed (${r.code}):\n${r.stderr}`);
  }
  assert.ok(!existsSync(path.join(scratchCache, 'bytecode')), 'cache clear emptied the cache');
});
