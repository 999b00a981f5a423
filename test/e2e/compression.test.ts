/**
 * Cold data is stored compressed and read back unchanged: module sources
 * (tracebacks, inspect), package resources and distribution metadata as zlib
 * streams, extension modules as LZ4 blocks the runtime decodes itself (zlib
 * too); bytecode is not compressed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildProject, projectDir, run } from '../helpers/cli.js';
import { dumpPayload } from '../helpers/payload-dump.js';

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution().toPythonExecutable({ name: 'squeezed', config: { runModule: 'squeezed' } })
          .addPythonResources(readPackageRoot('.', ['squeezed'])),
    },
  },
});
`;

const MAIN = `
import decimal, hashlib, importlib.resources, inspect, json, sys, traceback
import _decimal, pyexpat, _ssl  # shared libraries stored as LZ4 blocks, loaded from memory
import squeezed.work as work
files = importlib.resources.files("squeezed")
out = {
    "text": hashlib.sha256(files.joinpath("words.txt").read_bytes()).hexdigest(),
    "noise": hashlib.sha256(files.joinpath("noise.bin").read_bytes()).hexdigest(),
    "data": hashlib.sha256(work.__loader__.get_data(work.__file__.rsplit("/", 1)[0] + "/words.txt")).hexdigest() if hasattr(work, "__file__") else None,
    "source_has_marker": "MARKER-COMMENT" in inspect.getsource(work.explode),
    "decimal": str(decimal.Decimal("1.1") + decimal.Decimal("2.2")),
    "expat": pyexpat.ParserCreate().Parse(b"<a/>", True),
}
try:
    work.explode()
except ValueError:
    out["traceback_line"] = traceback.format_exc().strip().splitlines()[-2].strip()
print(json.dumps(out, sort_keys=True))
`;

const WORK = `# ${'padding so that the source is worth compressing. '.repeat(20)}
def explode():
    # MARKER-COMMENT
    raise ValueError("from the compressed module")
`;

test('sources and resources are stored compressed and read back unchanged; bytecode is not compressed', () => {
  const words = 'the quick brown fox jumps over the lazy dog\n'.repeat(500);
  const noise = randomBytes(4096);
  const dir = projectDir({
    'pyoxidizer.config.ts': CONFIG,
    'squeezed/__init__.py': '',
    'squeezed/__main__.py': MAIN,
    'squeezed/work.py': WORK,
    'squeezed/words.txt': words,
  }, 'oxidize-compress-');
  writeFileSync(`${dir}/squeezed/noise.bin`, noise);
  const [exe] = buildProject(dir);

  const r = run(exe);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(out.text, sha(words));
  assert.equal(out.noise, sha(noise));
  if (out.data !== null) assert.equal(out.data, sha(words));
  assert.equal(out.source_has_marker, true);
  assert.equal(out.decimal, '3.3');
  assert.equal(out.expat, 1);
  assert.equal(out.traceback_line, 'raise ValueError("from the compressed module")');

  const { lines } = dumpPayload(exe);
  const entry = (kind: number, name: string) => {
    const line = lines.find((l) => l.startsWith(`entry ${kind} `) && l.split(' ')[3] === name);
    assert.ok(line, `entry ${name} is in the payload`);
    return line.split(' ');
  };
  const COMPRESSED = 4;
  const LZ4 = 8;
  const work = entry(1, 'squeezed.work');
  assert.ok(Number(work[2]) & COMPRESSED, 'the module source is compressed');
  assert.ok(!Buffer.from(work[4], 'hex').includes('MARKER-COMMENT'), 'the source is not stored plainly');
  assert.equal(Buffer.from(work[5], 'hex')[0], 0xe3, 'bytecode is a plain marshalled code object');
  assert.ok(Number(entry(3, 'squeezed\u0000words.txt')[2]) & COMPRESSED, 'a text resource is compressed');
  assert.equal(Number(entry(3, 'squeezed\u0000noise.bin')[2]) & COMPRESSED, 0, 'random bytes are stored as they are');
  for (const name of ['_decimal', 'zlib']) {
    const flags = Number(entry(2, name)[2]);
    assert.equal(flags & (COMPRESSED | LZ4), LZ4, `extension module ${name} is an LZ4 block, not a zlib stream`);
  }
});
