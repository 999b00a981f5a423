/**
 * Prebuilt runtime stubs: without a cached or installed stub and without
 * cargo/cc, the build fails at once naming both ways out.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { oxidize, projectDir, repoRoot } from '../helpers/cli.js';
import { toollessPath } from '../helpers/toolless-path.js';

const HOST_CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'sample', config: { runModule: 'sample' } })
          .addPythonResources(readPackageRoot('.', ['sample'])),
    },
  },
});
`;

test('with no stub and no cargo or cc, the build stops before collecting, naming the package and the system packages', () => {
  const project = projectDir({ 'pyoxidizer.config.ts': HOST_CONFIG }, 'oxidize-nostub-');
  cpSync(path.join(repoRoot, 'sample/sample'), path.join(project, 'sample'), { recursive: true });
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-empty-cache-'));
  const r = oxidize(['build'], { cwd: project, env: { PATH: toollessPath(), OXIDIZE_CACHE_DIR: cache } });
  assert.equal(r.code, 1, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error'));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0], /cargo and cc are not on PATH/);
  assert.match(errors[0], /`npm install -D @oxidize-py\/stub-[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_-]+-cp3\d+-[0-9a-f]{8}`/);
  assert.match(errors[0], /`apt-get install cargo gcc`/);
  // Nothing was collected: the failure came first.
  assert.doesNotMatch(r.stderr, /collected|compiled|Traceback|    at /);
});
