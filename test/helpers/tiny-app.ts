/** A small project (one package run as a module) to build in fault tests. */
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectDir } from './cli.js';

/** A project whose executable `name` runs `main.py`'s code; returns its directory. */
export function tinyApp(name: string, main: string, extra: Record<string, string> = {}, configExtra = ''): string {
  return projectDir(
    {
      'pyoxidizer.config.ts': `import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution().toPythonExecutable({ name: ${JSON.stringify(name)}, config: { runModule: 'app' }${configExtra} })
          .addPythonResources(readPackageRoot('src', ['app'])),
    },
  },
});
`,
      'src/app/__init__.py': '',
      'src/app/__main__.py': main,
      ...extra,
    },
    'oxidize-faults-',
  );
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
