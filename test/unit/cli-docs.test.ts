/** docs/cli.md's command reference is the CLI definition rendered: every command and option, current. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createCli } from '../../src/cli/main.js';
import { BEGIN, END, renderReference } from '../../src/cli/reference.js';
import { repoRoot } from '../helpers/cli.js';

test('docs/cli.md holds the reference generated from the CLI definition (run `npm run gen` after changing commands)', () => {
  const page = readFileSync(path.join(repoRoot, 'docs/cli.md'), 'utf8');
  const block = page.slice(page.indexOf(BEGIN), page.indexOf(END) + END.length);
  const cli = createCli(() => undefined);
  assert.equal(block, renderReference(cli));
  // And the reference names every command and option there is.
  for (const c of cli.commands) {
    if (c.name === '') continue;
    assert.ok(block.includes(`### ${c.name}\n`), `command ${c.name}`);
    for (const o of c.options) assert.ok(block.includes(`\`${o.rawName.replace(/\|/g, '\\|')}\``), `option ${o.rawName} of ${c.name}`);
  }
});
