/**
 * The pyoxidizer.config.ts that `oxidize init-config-file` writes: a
 * commented starting point that must pass a user's strict `tsc` as written
 * (a test compiles it against the packed package).
 */
import { PACKAGE_NAME } from '../util/paths.js';

/** Where the config's JSON Schema is once the package is installed (generated from src/config/config-shape.ts). */
export const CONFIG_SCHEMA_PATH = `./node_modules/${PACKAGE_NAME}/schemas/config.schema.json`;

export function initConfigTemplate(name: string): string {
  return `// Configuration of oxidize: builds an executable embedding Python.
// Reference: docs/config.md in the ${PACKAGE_NAME} package. Editors complete the options from
// its types; the same shape as JSON Schema (for other tools): ${CONFIG_SCHEMA_PATH}
import { defineConfig, FileManifest, readPackageRoot } from '${PACKAGE_NAME}';

export default defineConfig({
  targets: {
    // \`oxidize build\` builds the default target; \`oxidize build NAME\` another.
    exe: {
      default: true,
      build(ctx) {
        const dist = ctx.defaultPythonDistribution();
        const exe = dist.toPythonExecutable({
          name: ${JSON.stringify(name)},
          // What the executable runs: with nothing set, the Python REPL.
          // Try runModule: 'myapp' (like \`python -m myapp\`), runModule: 'myapp.cli:main'
          // (calls main(), as a console script does) or runCommand: 'print(1)'.
          config: {},
          // Where resources go and what is packed; the defaults keep
          // everything in memory and leave test packages out.
          packagingPolicy: { resourcesPolicy: 'in-memory-only' },
        });
        // Add your own code, for example the package ./src/myapp:
        // exe.addPythonResources(readPackageRoot('src', ['myapp']));
        void readPackageRoot;
        return exe;
      },
    },
    // \`oxidize build install\`: an install directory holding the executable
    // with its files; add more with files.addFile(...) or glob(...).
    install: {
      depends: ['exe'],
      build(ctx) {
        const files = new FileManifest();
        files.addExecutable(ctx.depends.exe);
        return files;
      },
    },
  },
});
`;
}
