/**
 * `npm run gen`: writes the files generated from descriptions in src/
 * (docs/errors.md from the error catalogue, schemas/config.schema.json from the config's shape). Tests check they are current.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GENERATED } from '../src/generated-files.js';
import { packageRoot } from '../src/util/paths.js';

for (const [rel, render] of Object.entries(GENERATED)) {
  writeFileSync(path.join(packageRoot, rel), render());
  process.stdout.write(`wrote ${rel}\n`);
}
