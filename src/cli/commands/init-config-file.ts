import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';

const TEMPLATE = `// Configuration of oxidize: builds an executable embedding Python.
// Reference: docs/config.md of the oxidize package.
import { defineConfig, readPackageRoot } from 'oxidize';

export default defineConfig({
  targets: {
    // \`oxidize build\` builds the default target; \`oxidize build NAME\` another.
    exe: {
      default: true,
      build(ctx) {
        const dist = ctx.defaultPythonDistribution();
        const exe = dist.toPythonExecutable({
          name: '__NAME__',
          // What the executable runs: with nothing set, the Python REPL.
          // Try runModule: 'myapp' (like \`python -m myapp\`) or runCommand: 'print(1)'.
          config: {},
          // Where resources go and what is packed; the defaults keep
          // everything in memory and leave test packages out.
          packagingPolicy: { resourcesLocation: 'in-memory' },
        });
        // Add your own code, for example the package ./src/myapp:
        // exe.addPythonResources(readPackageRoot('src', ['myapp']));
        void readPackageRoot;
        return exe;
      },
    },
  },
});
`;

export async function initConfigFileCommand(dir: string): Promise<number> {
  const target = path.resolve(dir, 'pyoxidizer.config.ts');
  if (await fsp.stat(target).then(() => true, () => false)) {
    throw new OxidizeError('CONFIG_EXISTS', `${target} already exists`, 'remove it or choose another directory');
  }
  const name = path.basename(path.resolve(dir)).replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
  await writeFileAtomic(target, [Buffer.from(TEMPLATE.replace('__NAME__', name))]);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target) || target}\nbuild it with: npx oxidize build --path ${path.relative(process.cwd(), path.dirname(target)) || '.'}\n`);
  return 0;
}
