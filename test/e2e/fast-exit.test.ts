/**
 * fastExit: a program ends as under python3 (status, output, files written,
 * threads and atexit handlers) without the interpreter being finalized,
 * which is visible only in finalizers of objects alive at exit not running.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildProject, projectDir, run, type CliResult } from '../helpers/cli.js';

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
const exe = (name, config) => (ctx) =>
  ctx.defaultPythonDistribution().toPythonExecutable({ name, config }).addPythonResources(readPackageRoot('.', ['probe']));
export default defineConfig({
  targets: {
    module: { default: true, build: exe('fast-module', { runModule: 'probe', fastExit: true }) },
    command: { build: exe('fast-command', { runCommand: 'import sys, probe; probe.main(sys.argv[1:])', fastExit: true }) },
    normal: { build: exe('normal-module', { runModule: 'probe' }) },
  },
});
`;

const PROBE = `
import atexit, os, sys, threading, time


class Noisy:
    def __del__(self):
        print("finalizer ran")


def main(argv):
    what = argv[0]
    if what == "unclosed":
        text = open(argv[1], "w")
        text.write("x" * 100000 + "\\nend\\n")
        data = open(argv[2], "wb")
        data.write(b"\\0" * 50000 + b"tail")
        # Only a reference cycle keeps this one: the garbage collector still lists it.
        cycle = [open(argv[3], "a")]
        cycle.append(cycle)
        cycle[0].write("in a cycle\\n")
        globals()["kept"] = (text, data)
    elif what == "archives":
        import bz2, gzip, lzma, tempfile, zipfile
        out = argv[1]
        kept = [gzip.open(out + ".gz", "wt"), bz2.open(out + ".bz2", "wt"), lzma.open(out + ".xz", "wt")]
        for f in kept:
            f.write("compressed " * 1000)
        archive = zipfile.ZipFile(out + ".zip", "w")
        archive.writestr("inside.txt", "zipped")
        temporary = tempfile.NamedTemporaryFile("w", dir=os.path.dirname(out), prefix="left-", delete=True)
        temporary.write("gone at exit")
        globals()["kept"] = (kept, archive, temporary)
    elif what == "lifecycle":
        def worker():
            time.sleep(0.3)
            print("thread done")
        threading.Thread(target=worker).start()
        atexit.register(print, "atexit ran")
        print("main done")
    elif what == "exit3":
        print("before exit")
        sys.exit(3)
    elif what == "exit-message":
        sys.exit("bye")
    elif what == "raise":
        raise ValueError("boom")
    elif what == "print":
        print("x")
    elif what == "finalizer":
        globals()["kept"] = Noisy()
        print("main done")


if __name__ == "__main__":
    main(sys.argv[1:])
`;

let dir: string;
const exes = new Map<string, string>();
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
// Buffering must be Python's default for the closed-pipe case to reach exit.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PYTHON'))) as NodeJS.ProcessEnv;

before(() => {
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG, 'probe.py': PROBE }, 'oxidize-fast-exit-');
  for (const exe of buildProject(dir, ['module', 'command', 'normal'])) exes.set(path.basename(exe), exe);
});

const ours = (name: string, args: string[]): CliResult => run(exes.get(name)!, args, { cwd: dir, env });
const theirs = (args: string[]): CliResult => run(python, ['-m', 'probe', ...args], { cwd: dir, env });

for (const name of ['fast-module', 'fast-command']) {
  test(`${name}: exit status and output are python3's`, () => {
    for (const args of [['lifecycle'], ['exit3'], ['exit-message'], ['print']]) {
      const a = ours(name, args);
      const b = theirs(args);
      assert.deepEqual([a.code, a.stdout, a.stderr], [b.code, b.stdout, b.stderr], args.join(' '));
    }
    assert.equal(ours(name, ['lifecycle']).stdout, 'main done\nthread done\natexit ran\n', 'threads joined, then atexit handlers');
  });

  test(`${name}: an uncaught exception prints its traceback and exits 1`, () => {
    const r = ours(name, ['raise']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Traceback \(most recent call last\):\n/);
    assert.match(r.stderr, /raise ValueError\("boom"\)\n/);
    assert.ok(r.stderr.endsWith('ValueError: boom\n'), r.stderr);
  });

  test(`${name}: files left open are complete`, () => {
    const files = ['text.txt', 'data.bin', 'cycle.txt'].map((f) => path.join(dir, `${name}-${f}`));
    const r = ours(name, ['unclosed', ...files]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(files[0], 'utf8'), `${'x'.repeat(100000)}\nend\n`);
    const data = readFileSync(files[1]);
    assert.equal(data.length, 50004);
    assert.equal(data.subarray(50000).toString(), 'tail');
    assert.equal(readFileSync(files[2], 'utf8'), 'in a cycle\n');
  });

  test(`${name}: compressed files and archives left open are complete, and a temporary file is removed`, () => {
    const out = path.join(dir, `${name}-archive`);
    const r = ours(name, ['archives', out]);
    assert.equal(r.code, 0, r.stderr);
    const check = spawnSync(python, ['-c', `
import bz2, gzip, lzma, os, sys, zipfile
out = sys.argv[1]
print(all(m.open(out + ext, "rt").read() == "compressed " * 1000 for m, ext in ((gzip, ".gz"), (bz2, ".bz2"), (lzma, ".xz"))))
print(zipfile.ZipFile(out + ".zip").read("inside.txt"))
print([n for n in os.listdir(os.path.dirname(out)) if n.startswith("left-")])
`, out], { encoding: 'utf8' });
    assert.equal(check.stdout, "True\nb'zipped'\n[]\n", check.stderr);
  });
}

/** Runs a command with stdout a pipe whose reading end is already closed, as python3 reports it. */
function intoClosedPipe(argv: string[]): { code: number; stderr: string } {
  const harness = `
import json, os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(json.dumps({"code": p.returncode, "stderr": p.stderr.decode()}))
`;
  const r = spawnSync(python, ['-c', harness, ...argv], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { code: number; stderr: string };
}

test('output to a closed pipe: the same report and status 120 as python3', () => {
  const expected = intoClosedPipe([python, '-m', 'probe', 'print']);
  assert.equal(expected.code, 120);
  assert.match(expected.stderr, /^Exception ignored in: <_io.TextIOWrapper name='<stdout>'.*\nBrokenPipeError: \[Errno 32\] Broken pipe\n$/);
  for (const name of ['fast-module', 'fast-command']) assert.deepEqual(intoClosedPipe([exes.get(name)!, 'print']), expected, name);
});

test('only finalization is skipped: a finalizer of an object alive at exit runs without fastExit, not with it', () => {
  assert.equal(theirs(['finalizer']).stdout, 'main done\nfinalizer ran\n');
  assert.equal(ours('normal-module', ['finalizer']).stdout, 'main done\nfinalizer ran\n');
  assert.equal(ours('fast-module', ['finalizer']).stdout, 'main done\n');
  assert.equal(ours('fast-command', ['finalizer']).stdout, 'main done\n');
});
