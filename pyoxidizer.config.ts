// The sample application: `npx oxidize build` builds it, `npx oxidize run -- --name you` runs it.
import { defineConfig, readPackageRoot } from 'oxidize-py';

export default defineConfig({
  targets: {
    exe: {
      default: true,
      build(ctx) {
        const exe = ctx.defaultPythonDistribution().toPythonExecutable({
          name: 'sample',
          config: { runModule: 'sample' },
        });
        exe.addPythonResources(readPackageRoot('sample', ['sample']));
        return exe;
      },
    },
  },
});
