/**
 * An executable runs code from its command line only in the exact forms
 * multiprocessing writes; a look-alike does nothing but fail. (The real forms
 * are exercised by the behaviour suite's fork, forkserver and spawn pools.)
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildProject, run } from '../helpers/cli.js';
import { scratchDir, tinyApp } from '../helpers/tiny-app.js';

let exe: string;

before(() => {
  const dir = tinyApp('guarded', 'import sys\nprint("app ran", sys.argv[1:])\n');
  [exe] = buildProject(dir);
});

test('crafted multiprocessing-looking command lines run no code', () => {
  const witness = path.join(scratchDir('oxidize-witness-'), 'ran');
  const payload = `open(${JSON.stringify(witness)}, "w").write("x"); print("pwned")`;
  const crafted = [
    ['-c', `from multiprocessing.spawn import x; ${payload}`],
    ['-c', `from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7); ${payload}`, '--multiprocessing-fork'],
    ['-I', '-c', `from multiprocessing.resource_tracker import main;main(0); ${payload}`],
    ['-c', `from multiprocessing.forkserver import main; main(3, 4, [${payload.replace(/; /, ', ')}], **{})`],
    ['--multiprocessing-fork', `pipe_handle=__import__("os").system("touch ${witness}")`],
  ];
  for (const args of crafted) {
    const r = run(exe, args);
    assert.equal(r.signal, null);
    assert.equal(r.code, 70, `${args.join(' ')} fails`);
    assert.doesNotMatch(r.stdout, /pwned|app ran/);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /refusing a command line that claims to start a multiprocessing child/);
    assert.equal(existsSync(witness), false, 'the crafted code did not run');
  }
});

test('ordinary arguments still reach the application', () => {
  const r = run(exe, ['-c', 'print(1)']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "app ran ['-c', 'print(1)']\n");
});
