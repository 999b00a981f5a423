#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

let finished = false;
// Node ends a process whose event loop has nothing left to wait for with status 0, even when
// the command is still waiting on a promise nothing will settle (a bug): never a silent success.
process.on('exit', (code) => {
  if (finished || code !== 0) return;
  process.stderr.write(
    'oxidize: error: the command stopped before it finished: a promise it waited for (of the config, a plugin, or oxidize itself) can never settle, so nothing it was doing completed; check promises the config returns, else report it with --verbose output\n',
  );
  process.exitCode = 70;
});

main(process.argv.slice(2)).then((code) => {
  finished = true;
  process.exitCode = code;
});
