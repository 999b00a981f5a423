import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../util/paths.js';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
