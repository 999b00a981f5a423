/** Configs import the API by the package's published name, and by `oxidize` as configs written before it did. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { API_IMPORT_NAMES, PACKAGE_NAME, packageRoot } from '../../src/util/paths.js';
import { projectDir } from '../helpers/cli.js';

test('the package name in the code is the one in package.json', () => {
  assert.equal(PACKAGE_NAME, (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { name: string }).name);
});

for (const name of API_IMPORT_NAMES) {
  test(`a config importing from '${name}' loads`, async () => {
    const dir = projectDir({
      'pyoxidizer.config.ts': `import { defineConfig, PythonExecutable } from '${name}';
export default defineConfig({ targets: { only: { build: () => typeof PythonExecutable } } });
`,
    });
    const loaded = await loadConfig(dir, { release: false });
    assert.equal(loaded.config.targets.only.build({} as never), 'function');
  });
}
