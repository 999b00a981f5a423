/**
 * The runtime must keep building with Debian bookworm's own Rust (1.63):
 * where that toolchain is installed beside a newer default one, build the
 * stub with it too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { stubLinkEnv } from '../../src/link/stub.js';
import { repoRoot } from '../helpers/cli.js';

const DEBIAN_CARGO = '/usr/bin/cargo';
const debianRustc = spawnSync('/usr/bin/rustc', ['--version'], { encoding: 'utf8' });
const skip = debianRustc.status !== 0 ? 'Debian rustc is not installed (apt-get install rustc cargo)' : false;

test(`the stub builds with Debian's rustc (${debianRustc.stdout?.trim() || 'absent'})`, { skip }, async () => {
  const dist = await resolveHostDistribution();
  const target = mkdtempSync(path.join(os.tmpdir(), 'oxidize-rust-floor-'));
  const r = spawnSync(DEBIAN_CARGO, ['build', '--offline', '--manifest-path', path.join(repoRoot, 'runtime-rust/Cargo.toml'), '--target-dir', target], {
    encoding: 'utf8',
    env: {
      ...process.env,
      RUSTC: '/usr/bin/rustc',
      ...stubLinkEnv(dist),
    },
  });
  assert.equal(r.status, 0, r.stderr);
  const stub = spawnSync(path.join(target, 'debug', 'oxidize-stub'), [], { encoding: 'utf8' });
  assert.equal(stub.status, 70, 'a stub without payload says so');
  assert.match(stub.stderr, /no payload/);
});
