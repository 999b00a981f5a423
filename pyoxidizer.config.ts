// The sample application: `npx oxidize build` builds it, `npx oxidize run -- --name you` runs it.
import { defineConfig, FileManifest, glob, readPackageRoot } from 'oxidize-py';

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
    // `npx oxidize build install`: the executable and the sample's sources, laid out for shipping.
    install: {
      depends: ['exe'],
      build(ctx) {
        return new FileManifest()
          .addExecutable(ctx.depends.exe, 'bin')
          .addManifest(glob('sample/**/*.py', { stripPrefix: 'sample/' }), 'share/sample-sources');
      },
    },
  },
});
