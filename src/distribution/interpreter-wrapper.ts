/**
 * An archive's interpreter that links a shared libpython (one built with
 * --enable-shared, as pyenv does, written by python-distribution-create)
 * finds it only through a run path of the machine it was built on. Every
 * part of oxidize runs `distribution.python` (bytecode, pip, import scans),
 * so instead of each passing an environment, such a distribution gets a
 * small launcher next to the interpreter that points the loader at the
 * distribution's own lib/ directory.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { readElfNeeds } from './elf.js';

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `exe`, or a launcher for it when it needs a libpython*.so its distribution ships in ../lib. */
export async function runnableInterpreter(exe: string): Promise<string> {
  const libDir = path.join(path.dirname(path.dirname(exe)), 'lib');
  const needs = await readElfNeeds(exe).catch(() => undefined);
  const shipped = [];
  for (const so of needs?.libraries.filter((l) => l.startsWith('libpython')) ?? []) {
    if (await fsp.access(path.join(libDir, so)).then(() => true, () => false)) shipped.push(so);
  }
  if (shipped.length === 0) return exe;
  const launcher = path.join(path.dirname(exe), `.oxidize-${path.basename(exe)}`);
  const script = `#!/bin/sh\n# Written by oxidize: ${path.basename(exe)} needs ${shipped.join(', ')} from ${libDir}.\nLD_LIBRARY_PATH=${shellQuote(libDir)}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} exec ${shellQuote(exe)} "$@"\n`;
  const current = await fsp.readFile(launcher, 'utf8').catch(() => undefined);
  if (current !== script) await writeFileAtomic(launcher, [Buffer.from(script)], 0o755);
  return launcher;
}
