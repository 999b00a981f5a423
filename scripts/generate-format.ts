/**
 * `npm run generate:format`: writes the constants of the payload format into
 * the TypeScript writer, the Rust reader, the C glue, the Python importer's
 * stand-in and the specification, from schemas/payload-format.json.
 */
import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './format-codegen/index.js';

// dist/scripts/generate-format.js -> the package root
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
for (const [rel, content] of generatedFiles(root)) {
  const file = path.join(root, rel);
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
  console.log(`wrote ${rel}`);
}
