/** Every file generated from the payload format table, by path relative to the package root. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderC } from './c.js';
import { renderMarkdown } from './markdown.js';
import { renderPython } from './python.js';
import { renderRustFormat, renderRustRunConfig } from './rust.js';
import { loadTable } from './table.js';
import { renderTypeScript } from './typescript.js';

export const MARKDOWN_PATH = 'schemas/payload-format.md';

export function generatedFiles(root: string): Map<string, string> {
  const t = loadTable(root);
  return new Map([
    ['src/payload/format.ts', renderTypeScript(t)],
    ['runtime-rust/src/format.rs', renderRustFormat(t)],
    ['runtime-rust/src/run_config.rs', renderRustRunConfig(t)],
    ['runtime-rust/c/oxidize_format.h', renderC(t)],
    ['runtime-rust/python/_oxidize_format.py', renderPython(t)],
    [MARKDOWN_PATH, renderMarkdown(readFileSync(path.join(root, MARKDOWN_PATH), 'utf8'), t)],
  ]);
}
