import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { findConfigFile, loadConfig } from '../../src/config/load.js';
import { OxidizeError } from '../../src/errors.js';
import { projectDir } from '../helpers/cli.js';

const SIMPLE = `import { defineConfig } from 'oxidize';
export default defineConfig({ targets: { only: { build: () => 'built' } } });
`;

test('finds pyoxidizer.config.ts in an ancestor directory', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': SIMPLE, 'a/b/c/.keep': '' });
  assert.equal(await findConfigFile(path.join(dir, 'a/b/c')), path.join(dir, 'pyoxidizer.config.ts'));
});

test('the nearest config wins over one further up', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': SIMPLE, 'sub/pyoxidizer.config.mjs': 'export default { targets: {} }' });
  assert.equal(await findConfigFile(path.join(dir, 'sub')), path.join(dir, 'sub/pyoxidizer.config.mjs'));
});

test('PYOXIDIZER_CONFIG overrides discovery', async (t) => {
  const dir = projectDir({ 'pyoxidizer.config.ts': SIMPLE, 'elsewhere/custom.config.ts': SIMPLE });
  process.env.PYOXIDIZER_CONFIG = path.join(dir, 'elsewhere/custom.config.ts');
  t.after(() => delete process.env.PYOXIDIZER_CONFIG);
  assert.equal(await findConfigFile(dir), path.join(dir, 'elsewhere/custom.config.ts'));
  process.env.PYOXIDIZER_CONFIG = path.join(dir, 'missing.ts');
  await assert.rejects(findConfigFile(dir), /PYOXIDIZER_CONFIG names .*missing.ts, which does not exist/);
});

test('a config file given directly is used as is, without touching the environment', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': SIMPLE, 'other/named.config.ts': SIMPLE });
  const before = process.env.PYOXIDIZER_CONFIG;
  assert.equal(await findConfigFile(path.join(dir, 'other/named.config.ts')), path.join(dir, 'other/named.config.ts'));
  const loaded = await loadConfig(path.join(dir, 'other/named.config.ts'), { release: false });
  assert.equal(loaded.dir, path.join(dir, 'other'));
  assert.equal(process.env.PYOXIDIZER_CONFIG, before);
  await assert.rejects(findConfigFile(path.join(dir, 'nowhere')), /nowhere does not exist/);
});

test('a missing config is a clear error with what to do', async () => {
  const dir = projectDir({ 'empty/.keep': '' });
  await assert.rejects(findConfigFile(path.join(dir, 'empty')), (e: unknown) => {
    assert.ok(e instanceof OxidizeError);
    assert.equal(e.code, 'CONFIG_NOT_FOUND');
    assert.match(e.hint ?? '', /init-config-file/);
    return true;
  });
});

test('a config may import the user\'s other TypeScript files', async () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize';
import { appName, type Named } from './build/settings';
const named: Named = { name: appName };
export default defineConfig({ targets: { main: { build: () => named.name } } });
`,
    'build/settings.ts': `export interface Named { name: string }
export const appName: string = 'from-another-file';
`,
  });
  const loaded = await loadConfig(dir, { release: false });
  assert.equal(loaded.file, path.join(dir, 'pyoxidizer.config.ts'));
  const target = loaded.config.targets.main;
  assert.equal(target.build({} as never), 'from-another-file');
});

test('a config exported as a function receives the environment', async () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize';
export default defineConfig((env) => ({ targets: { t: { build: () => [env.release, env.configDir] } } }));
`,
  });
  const loaded = await loadConfig(dir, { release: true });
  assert.deepEqual(loaded.config.targets.t.build({} as never), [true, dir]);
});

test('a config that throws is one error naming the file and line', async () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize';
const x: number = 1;
if (x === 1) throw new Error('deliberate failure');
export default defineConfig({ targets: {} });
`,
  });
  await assert.rejects(loadConfig(dir, { release: false }), (e: unknown) => {
    assert.ok(e instanceof OxidizeError);
    assert.equal(e.code, 'CONFIG_FAILED');
    assert.match(e.message, /^pyoxidizer\.config\.ts(:\d+)?: loading the config failed: deliberate failure$/);
    return true;
  });
});

test('a config without targets is rejected', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': 'export default { nothing: true };\n' });
  await assert.rejects(loadConfig(dir, { release: false }), /must export default defineConfig/);
});

test('a config without targets but with a misspelt key names the key meant', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': "export default { pyhton: 'python3', target: {} };\n" });
  await assert.rejects(loadConfig(dir, { release: false }), (e: OxidizeError) => /pyhton is not a known key$/.test(e.message) && e.hint === 'did you mean python?');
  const dir2 = projectDir({ 'pyoxidizer.config.ts': 'export default { target: {} };\n' });
  await assert.rejects(loadConfig(dir2, { release: false }), (e: OxidizeError) => /target is not a known key$/.test(e.message) && e.hint === 'did you mean targets?');
});
