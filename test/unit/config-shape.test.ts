/** The config's one shape description: validation with key paths and suggestions, the schema it renders, and where it is applied. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { initConfigTemplate, CONFIG_SCHEMA_PATH } from '../../src/cli/init-config-template.js';
import { executableOptionsShape, renderConfigSchema } from '../../src/config/config-shape.js';
import { loadConfig } from '../../src/config/load.js';
import { didYouMean, validate } from '../../src/config/shape.js';
import { OxidizeError } from '../../src/errors.js';
import { PythonExecutable } from '../../src/pipeline/executable.js';
import { runModuleProblem } from '../../plugins/interpreter-checks/index.js';
import type { PlacedResource } from '../../src/resources/types.js';
import { projectDir, repoRoot } from '../helpers/cli.js';

test('did-you-mean suggests near keys only', () => {
  assert.equal(didYouMean('runModul', ['runModule', 'runCommand']), 'runModule');
  assert.equal(didYouMean('RUNMODULE', ['runModule']), 'runModule');
  assert.equal(didYouMean('resourcePolicy', ['resourcesPolicy', 'resourceLocations']), 'resourcesPolicy');
  assert.equal(didYouMean('zzz', ['runModule', 'runCommand']), undefined);
});

test('validation reports the first problem with its key path', () => {
  assert.deepEqual(validate(executableOptionsShape, { name: 'x', config: { sysPaths: ['a', 2] } })?.path, ['config', 'sysPaths', 1]);
  assert.equal(validate(executableOptionsShape, { name: 'x', config: { runModule: 'a' }, packagingPolicy: { includeTest: true } }), undefined);
});

test('executables made without a target are checked too; the error has no file to name', () => {
  assert.throws(() => new PythonExecutable({ name: '..' }), (e: unknown) => e instanceof OxidizeError && e.code === 'CONFIG_NAME' && /^name is not a plain file name/.test(e.message));
  assert.throws(() => new PythonExecutable({ name: 'x', config: { runModule: 'a', runCommand: 'b' } }), /config sets runModule and runCommand/);
});

test('the config is checked when it is loaded', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': "export default { targets: { exe: { build: () => 1, dependz: [] } } };\n" });
  await assert.rejects(loadConfig(dir, { release: false }), (e: unknown) => {
    assert.ok(e instanceof OxidizeError);
    assert.equal(e.code, 'CONFIG_UNKNOWN_KEY');
    assert.match(e.message, /pyoxidizer\.config\.ts: targets\.exe\.dependz is not a known key$/);
    assert.equal(e.hint, 'did you mean depends?');
    return true;
  });
});

test('the run module must be carried, and a package needs __main__', () => {
  const mod = (name: string, isPackage = false) => ({ type: 'python-module-source', name, isPackage, source: { bytes: new Uint8Array() }, location: 'in-memory' }) as PlacedResource;
  assert.equal(runModuleProblem('app', [mod('app')]), undefined);
  assert.equal(runModuleProblem('app', [mod('app', true), mod('app.__main__')]), undefined);
  assert.match(runModuleProblem('app', [mod('app', true)]) ?? '', /no __main__/);
  assert.match(runModuleProblem('ap', [mod('app')]) ?? '', /does not carry/);
});

test('schemas/config.schema.json is rendered from the shape and referenced by the generated config', () => {
  assert.equal(readFileSync(path.join(repoRoot, 'schemas/config.schema.json'), 'utf8'), renderConfigSchema());
  const schema = JSON.parse(renderConfigSchema());
  assert.deepEqual(schema.required, ['targets']);
  assert.equal(schema.definitions.PythonExecutableOptions.properties.config.properties.runModule.type, 'string');
  assert.deepEqual(schema.definitions.PythonExecutableOptions.properties.config.properties.runMode.enum, ['repl', 'none', 'python']);
  assert.ok(initConfigTemplate('app').includes(CONFIG_SCHEMA_PATH));
  assert.ok(existsSync(path.join(repoRoot, CONFIG_SCHEMA_PATH.replace(/^\.\/node_modules\/[^/]+\//, ''))), 'the schema ships at that path in the package');
});

test('stubPath is a list of directories, checked when the config is loaded', async () => {
  const load = (value: string) => loadConfig(projectDir({ 'pyoxidizer.config.ts': `export default { stubPath: ${value}, targets: { exe: { build: () => 1 } } };\n` }), { release: false });
  assert.deepEqual((await load("['stubs', '/opt/oxidize-stubs']")).config.stubPath, ['stubs', '/opt/oxidize-stubs']);
  await assert.rejects(load("'stubs'"), (e: unknown) => e instanceof OxidizeError && e.code === 'CONFIG_TYPE' && /stubPath /.test(e.message));
  await assert.rejects(load("['stubs', ' ']"), (e: unknown) => e instanceof OxidizeError && e.code === 'CONFIG_TYPE' && /stubPath\[1\] is empty/.test(e.message));
  await assert.rejects(load('[3]'), (e: unknown) => e instanceof OxidizeError && e.code === 'CONFIG_TYPE' && /stubPath\[0\] is/.test(e.message));
  assert.equal(JSON.parse(renderConfigSchema()).properties.stubPath.items.type, 'string');
});

test("runModule 'module:function' runs the function as a console script does; the module part is what must be carried", async () => {
  const { runModeOf, runModuleName } = await import('../../src/config/interpreter.js');
  assert.deepEqual(runModeOf({ runModule: 'myapp.cli' }), { kind: 'module', value: 'myapp.cli' });
  assert.deepEqual(runModeOf({ runModule: 'myapp.cli:main' }), { kind: 'command', value: 'import sys\nfrom myapp.cli import main as _entry\nsys.exit(_entry())' });
  assert.deepEqual(runModeOf({ runModule: 'app:App.run' }), { kind: 'command', value: 'import sys\nfrom app import App as _entry\nsys.exit(_entry.run())' });
  assert.equal(runModuleName('myapp.cli:main'), 'myapp.cli');
  assert.doesNotThrow(() => new PythonExecutable({ name: 'x', config: { runModule: 'myapp.cli:main' } }));
  assert.throws(() => new PythonExecutable({ name: 'x', config: { runModule: 'myapp.cli:main:x' } }), /not a dotted module name or module:function/);
});
